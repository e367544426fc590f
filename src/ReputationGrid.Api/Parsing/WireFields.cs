using ReputationGrid.Api.Ids;
using ReputationGrid.Contracts.Fields;

namespace ReputationGrid.Api.Parsing;

/// <summary>
/// The fields of one request as its contract read them, for the field definitions to check: the first problem is kept
/// as an error that names the field. Fields the contract knows but the request's kind never asked for (a <c>reporter</c>
/// on a <c>message_sent</c>) are errors too, so a misplaced field is reported instead of silently ignored.
/// </summary>
internal sealed class WireFields : IFieldSource
{
    private readonly WireContract? _contract;
    private readonly object? _request;
    private readonly AccountIds? _ids;
    // One bit per property of the contract that was asked for; contracts have far fewer than 64.
    private ulong _asked;

    public WireFields(WireContract contract, object? request, AccountIds ids)
    {
        _contract = contract;
        _request = request;
        _ids = ids;
        if (request is null)
        {
            SetError(new WireProblem("body", "must be a JSON object"));
        }
    }

    private WireFields(WireProblem problem) => SetError(problem);

    public static WireFields Failed(WireProblem problem) => new(problem);

    /// <summary>The first problem found, as "field: what is wrong"; null while all is well.</summary>
    public string? Error { get; private set; }

    /// <summary>The field the first problem is about.</summary>
    public string? ErrorField { get; private set; }

    /// <summary>True when the body was not valid text: the whole request is refused, not only this part.</summary>
    public bool InvalidText { get; private set; }

    public FieldPresence ReadText(string name, out string? value)
    {
        value = Get(name) as string;
        return value is null ? FieldPresence.Absent : FieldPresence.Present;
    }

    public FieldPresence ReadBool(string name, out bool value) => Read(name, out value);

    public FieldPresence ReadInt(string name, out int value) => Read(name, out value);

    public FieldPresence ReadTimestamp(string name, out DateTimeOffset value) => Read(name, out value);

    private FieldPresence Read<T>(string name, out T value)
        where T : struct
    {
        if (Get(name) is T read)
        {
            value = read;
            return FieldPresence.Present;
        }

        value = default;
        return FieldPresence.Absent;
    }

    // A failed read has no fields, so no account id is ever asked of it.
    public string StoredAccountId(string id) => _ids!.Stored(id);

    public void Reject(string name, string message)
    {
        if (Error is null)
        {
            SetError(new WireProblem(name, message));
        }
    }

    /// <summary>Call after reading every field of the request's kind: any other field that is set is an error.</summary>
    public void RejectUnknownFields()
    {
        if (Error is not null)
        {
            return;
        }

        var getters = _contract!.Getters;
        for (var i = 0; i < getters.Length; i++)
        {
            if ((_asked & (1UL << i)) == 0 && getters[i](_request!) is not null)
            {
                Reject(_contract.Names[i], "is not a known field");
                return;
            }
        }
    }

    /// <summary>The field's value when it is there and not null, and the request has no error yet.</summary>
    private object? Get(string name)
    {
        if (_contract is null)
        {
            return null;
        }

        var index = _contract.IndexOf(name);
        _asked |= 1UL << index;
        return Error is null ? _contract.Getters[index](_request!) : null;
    }

    private void SetError(WireProblem problem)
    {
        Error = problem.Error;
        ErrorField = problem.Field;
        InvalidText = problem.InvalidText;
    }
}
