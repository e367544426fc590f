namespace ReputationGrid.Contracts.Fields;

/// <summary>
/// The fields of one kind of record, in wire order, each with where its value comes from in the record: enough to
/// document the record and to write it. Built once, when the registry is made.
/// </summary>
public sealed class FieldList<TRecord>
{
    private readonly List<Field> _fields = [];
    private readonly List<Action<TRecord, IFieldWriter>> _writers = [];

    public IReadOnlyList<Field> Fields => _fields;

    public FieldList<TRecord> Add(IdField field, Func<TRecord, string?> value) => Add(field, (record, writer) => field.Write(writer, value(record)));

    public FieldList<TRecord> Add(TextField field, Func<TRecord, string?> value) => Add(field, (record, writer) => field.Write(writer, value(record)));

    public FieldList<TRecord> Add(BoolField field, Func<TRecord, bool?> value) => Add(field, (record, writer) => field.Write(writer, value(record)));

    public FieldList<TRecord> Add(IntField field, Func<TRecord, int?> value) => Add(field, (record, writer) => field.Write(writer, value(record)));

    public FieldList<TRecord> Add<TValue>(ChoiceField<TValue> field, Func<TRecord, TValue?> value)
        where TValue : struct => Add(field, (record, writer) => field.Write(writer, value(record)));

    /// <summary>The fields of a part of the record, such as the message of a <c>message_sent</c> event.</summary>
    public FieldList<TRecord> Add<TPart>(FieldList<TPart> part, Func<TRecord, TPart> value)
    {
        _fields.AddRange(part._fields);
        _writers.Add((record, writer) => part.Write(value(record), writer));
        return this;
    }

    /// <summary>Writes every field that has a value; absent optional values are left out.</summary>
    public void Write(TRecord record, IFieldWriter writer)
    {
        foreach (var write in _writers)
        {
            write(record, writer);
        }
    }

    private FieldList<TRecord> Add(Field field, Action<TRecord, IFieldWriter> write)
    {
        _fields.Add(field);
        _writers.Add(write);
        return this;
    }
}
