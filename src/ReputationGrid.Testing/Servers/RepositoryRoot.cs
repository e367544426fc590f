namespace ReputationGrid.Testing.Servers;

public static class RepositoryRoot
{
    /// <summary>The repository's root folder: the nearest folder above the test binaries holding ReputationGrid.sln.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "ReputationGrid.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ReputationGrid.sln above {AppContext.BaseDirectory}.");
    }
}
