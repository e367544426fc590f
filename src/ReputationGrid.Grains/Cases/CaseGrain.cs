using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Core;
using Orleans.Storage;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Accounts;

namespace ReputationGrid.Grains.Cases;

/// <summary>
/// One investigation in the accounts' grain storage: the case itself in one state, and each attached file in a state of
/// its own (<c>case-file-&lt;n&gt;</c>), written once before the item that refers to it. Every change is stored before
/// it is answered. Bounded, so a case always fits one stored state.
/// </summary>
public sealed class CaseGrain : Grain, ICaseGrain
{
    public const string StateName = "case";
    public const int MaxMembers = 500;
    public const int MaxNotes = 200;
    public const int MaxEvidenceItems = 100;

    private readonly IGrainStorage _storage;
    private readonly StateStorageBridge<CaseState> _state;
    private readonly TimeProvider _time;

    public CaseGrain(IOptions<AccountGrainOptions> options, TimeProvider time)
    {
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
        _state = new StateStorageBridge<CaseState>(StateName, GrainContext, _storage);
        _time = time;
    }

    private CaseState State => _state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _state.ReadStateAsync();

    public async Task<CaseChange> OpenAsync(string name, string? description, string by)
    {
        if (State.Name is not null)
        {
            return new CaseChange(null, $"id: case '{this.GetPrimaryKeyString()}' exists");
        }

        var now = _time.GetUtcNow();
        var change = await ChangeAsync(state => (state.Name, state.Description, state.OpenedAt, state.OpenedBy) = (name, description, now, by));

        // Listed once stored: when listing fails the caller is answered an error and never learns the new id.
        await GrainFactory.GetGrain<ICaseIndexGrain>(ICaseIndexGrain.Key).AddAsync(new CaseSummary(this.GetPrimaryKeyString(), name, now, by));
        return change;
    }

    public Task<CaseView?> GetAsync()
    {
        if (State.Name is null)
        {
            DeactivateOnIdle(); // no such case: keep no activation for it
        }

        return Task.FromResult(View());
    }

    public Task<CaseChange> AddMemberAsync(CaseMemberKind kind, string member, string by)
    {
        if (State.Name is null || Members(State, kind).Exists(m => m.Id == member))
        {
            return Task.FromResult(Current());
        }

        if (State.Accounts.Count + State.Entities.Count >= MaxMembers)
        {
            return Task.FromResult(Refused($"{Field(kind)}: a case holds at most {MaxMembers} accounts and entities"));
        }

        var added = new CaseMember(member, _time.GetUtcNow(), by);
        return ChangeAsync(state => Members(state, kind).Add(added));
    }

    public Task<CaseChange> RemoveMemberAsync(CaseMemberKind kind, string member)
    {
        if (State.Name is null)
        {
            return Task.FromResult(Current());
        }

        var index = Members(State, kind).FindIndex(m => m.Id == member);
        return index < 0
            ? Task.FromResult(Refused($"{Field(kind)}: '{member}' is not in the case"))
            : ChangeAsync(state => Members(state, kind).RemoveAt(index));
    }

    public Task<CaseChange> AddNoteAsync(string text, string by)
    {
        if (State.Name is null)
        {
            return Task.FromResult(Current());
        }

        if (State.Notes.Count >= MaxNotes)
        {
            return Task.FromResult(Refused($"text: a case holds at most {MaxNotes} notes"));
        }

        var note = new CaseNote(_time.GetUtcNow(), by, text);
        return ChangeAsync(state => state.Notes.Add(note));
    }

    public async Task<CaseChange> AddEvidenceAsync(NewEvidenceItem item, byte[]? file, string by)
    {
        if (State.Name is null)
        {
            return Current();
        }

        if (State.Evidence.Count >= MaxEvidenceItems)
        {
            return Refused($"source: a case holds at most {MaxEvidenceItems} evidence items");
        }

        if ((file is null) == (item.Link is null))
        {
            return Refused("link: an evidence item has either a file or a link");
        }

        if (file?.Length > ICaseGrain.MaxFileBytes)
        {
            return Refused($"content: the file must be at most {ICaseGrain.MaxFileBytes} bytes");
        }

        var number = State.Evidence.Count + 1;
        if (file is not null)
        {
            // Read first for the file's ETag: an earlier attempt may have stored it before failing to store the case.
            var stored = File(number);
            await stored.ReadStateAsync();
            stored.State.Content = file;
            await stored.WriteStateAsync();
        }

        var hashed = file ?? Encoding.UTF8.GetBytes(item.Link!);
        var evidence = new EvidenceItem(
            number, item.Source, item.SeenAt, item.Description, item.Link, item.FileName, item.ContentType, file?.Length ?? 0,
            Convert.ToHexStringLower(SHA256.HashData(hashed)), _time.GetUtcNow(), by);
        return await ChangeAsync(state => state.Evidence.Add(evidence));
    }

    public async Task<byte[]?> GetFileAsync(int number)
    {
        if (State.Evidence.Find(item => item.Number == number) is not { FileName: not null })
        {
            return null;
        }

        var stored = File(number);
        await stored.ReadStateAsync();
        return stored.State.Content;
    }

    private StateStorageBridge<CaseFile> File(int number) => new($"case-file-{number}", GrainContext, _storage);

    private static List<CaseMember> Members(CaseState state, CaseMemberKind kind) => kind == CaseMemberKind.Account ? state.Accounts : state.Entities;

    private static string Field(CaseMemberKind kind) => kind == CaseMemberKind.Account ? "account" : "entity";

    /// <summary>The case as it now is (null when there is no such case), no error.</summary>
    private CaseChange Current() => new(View(), null);

    private static CaseChange Refused(string error) => new(null, error);

    /// <summary>Applies <paramref name="change"/> and stores it; on failure the stored state is the truth, read again by the next activation.</summary>
    private async Task<CaseChange> ChangeAsync(Action<CaseState> change)
    {
        change(State);
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        return Current();
    }

    private CaseView? View() => State.Name is null
        ? null
        : new CaseView(
            this.GetPrimaryKeyString(), State.Name, State.Description, State.OpenedAt, State.OpenedBy,
            [.. State.Accounts], [.. State.Entities], [.. State.Notes], [.. State.Evidence]);
}

[GenerateSerializer, Alias("rg.CaseState")]
public sealed class CaseState
{
    /// <summary>Null until the case is opened.</summary>
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public string? Description { get; set; }

    [Id(2)]
    public DateTimeOffset OpenedAt { get; set; }

    [Id(3)]
    public string OpenedBy { get; set; } = "";

    [Id(4)]
    public List<CaseMember> Accounts { get; set; } = [];

    [Id(5)]
    public List<CaseMember> Entities { get; set; } = [];

    [Id(6)]
    public List<CaseNote> Notes { get; set; } = [];

    [Id(7)]
    public List<EvidenceItem> Evidence { get; set; } = [];
}

/// <summary>The bytes of one attached file.</summary>
[GenerateSerializer, Alias("rg.CaseFile")]
public sealed class CaseFile
{
    [Id(0)]
    public byte[] Content { get; set; } = [];
}
