using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Api.Tests;

/// <summary>Optional fields that a request leaves out, as most send checks leave out most of theirs.</summary>
public sealed class AbsentOptionalFieldTests
{
    /// <summary>A request whose every field is absent; it keeps the problems reported.</summary>
    private sealed class EmptyRequest : IFieldSource
    {
        public List<string> Problems { get; } = [];

        public FieldPresence ReadText(string name, out string? value)
        {
            value = null;
            return FieldPresence.Absent;
        }

        public FieldPresence ReadBool(string name, out bool value)
        {
            value = false;
            return FieldPresence.Absent;
        }

        public FieldPresence ReadInt(string name, out int value)
        {
            value = 0;
            return FieldPresence.Absent;
        }

        public FieldPresence ReadTimestamp(string name, out DateTimeOffset value)
        {
            value = default;
            return FieldPresence.Absent;
        }

        public string StoredAccountId(string id) => id;

        public void Reject(string name, string message) => Problems.Add($"{name} {message}");
    }

    [Fact]
    public void An_absent_optional_choice_reads_as_none_reports_nothing_and_allocates_nothing()
    {
        var request = new EmptyRequest();
        MessageFields.Conversation.Read(request); // the first read may initialise the field's statics

        var before = GC.GetAllocatedBytesForCurrentThread();
        var conversation = MessageFields.Conversation.Read(request);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(conversation);
        Assert.Empty(request.Problems);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void An_absent_required_field_is_reported_as_required()
    {
        var request = new EmptyRequest();

        Assert.Null(MessageFields.RecipientIsContact.Read(request));
        Assert.Equal(["recipientIsContact is required"], request.Problems);
    }
}
