using ReputationGrid.Api.Endpoints;
using ReputationGrid.Api.Operations;
using ReputationGrid.Contracts;
using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Api.Parsing;

/// <summary>A validated item of off-platform evidence and its file's bytes (null for a link).</summary>
internal sealed record ParsedEvidence(NewEvidenceItem Item, byte[]? File);

/// <summary>The fields of the case requests and their parsers; each parser returns null and a field-naming error when the input is bad.</summary>
internal static class CaseRequests
{
    public static readonly TextField Name = new("name", maxLength: 200);
    public static readonly TextField Description = new("description", maxLength: 2000, required: false);
    public static readonly IdField Account = new("account");
    public static readonly TextField Entity = new("entity", maxLength: 200) { Note = "kind/id, e.g. device/abc" };
    public static readonly TextField Text = new("text", maxLength: 2000);
    public static readonly TextField Source = new("source", maxLength: 500);
    public static readonly TimestampField SeenAt = new("seenAt", required: true);
    public static readonly TextField Link = new("link", maxLength: 2000, required: false);
    public static readonly TextField FileName = new("fileName", maxLength: 255, required: false);
    public static readonly TextField ContentType = new("contentType", maxLength: 200, required: false);
    public static readonly TextField Content = new("content", maxLength: int.MaxValue, required: false) { Note = "the file's bytes, base64" };

    public static Field[] OpenFields => [Name, Description];

    public static Field[] EvidenceFields => [Source, SeenAt, Description, Link, FileName, ContentType, Content];

    public static (string Name, string? Description)? Open(WireFields fields)
    {
        var name = Name.Read(fields);
        var description = Description.Read(fields);
        fields.RejectUnknownFields();
        return fields.Error is null ? (name!, description) : null;
    }

    public static string? AccountId(WireFields fields)
    {
        var account = Account.Read(fields);
        fields.RejectUnknownFields();
        return fields.Error is null ? account : null;
    }

    /// <summary>The entity's key, <c>kind/id</c>.</summary>
    public static string? EntityKey(WireFields fields)
    {
        var entity = Entity.Read(fields);
        var key = entity is null ? null : EntityOperations.Key(entity);
        if (entity is not null && key is null)
        {
            fields.Reject(Entity.Name, "must be kind/id: kind device, network or content; id 1 to 128 characters");
        }

        fields.RejectUnknownFields();
        return fields.Error is null ? key : null;
    }

    public static string? NoteText(WireFields fields)
    {
        var text = Text.Read(fields);
        fields.RejectUnknownFields();
        return fields.Error is null ? text : null;
    }

    /// <param name="maxFileBytes">The largest file accepted; <paramref name="tooLarge"/> is set for a larger one (answered 413).</param>
    /// <param name="latest">The latest time an item may have been seen (now and the clock skew allowed).</param>
    public static ParsedEvidence? Evidence(WireFields fields, long maxFileBytes, DateTimeOffset latest, out bool tooLarge)
    {
        tooLarge = false;
        var source = Source.Read(fields);
        var seenAt = SeenAt.Read(fields);
        var description = Description.Read(fields);
        var link = Link.Read(fields);
        var fileName = FileName.Read(fields);
        var contentType = ContentType.Read(fields);
        var content = Content.Read(fields);
        byte[]? file = null;
        if (seenAt > latest)
        {
            fields.Reject(SeenAt.Name, "must not lie in the future");
        }
        else if ((link is null) == (content is null))
        {
            fields.Reject(Link.Name, "give either a link or a file's content, not both");
        }
        else if (link is not null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            fields.Reject(Link.Name, "must be an absolute http or https URL");
        }
        else if (link is not null && (fileName ?? contentType) is not null)
        {
            fields.Reject(fileName is not null ? FileName.Name : ContentType.Name, "applies only to a file");
        }
        else if (content is not null && fileName is null)
        {
            fields.Reject(FileName.Name, "is required with content");
        }
        else if (content is not null && (long)content.Length / 4 * 3 > maxFileBytes + 2)
        {
            tooLarge = true;
            fields.Reject(Content.Name, $"the file must be at most {maxFileBytes} bytes");
        }
        else if (content is not null && !TryDecode(content, out file))
        {
            fields.Reject(Content.Name, "must be base64");
        }
        else if (file is not null && file.Length > maxFileBytes)
        {
            tooLarge = true;
            fields.Reject(Content.Name, $"the file must be at most {maxFileBytes} bytes");
        }

        fields.RejectUnknownFields();
        return fields.Error is null
            ? new ParsedEvidence(new NewEvidenceItem(source!, seenAt!.Value, description, link, fileName, contentType), file)
            : null;
    }

    private static bool TryDecode(string base64, out byte[]? bytes)
    {
        var buffer = new byte[base64.Length / 4 * 3 + 3];
        if (Convert.TryFromBase64String(base64, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = null;
        return false;
    }
}
