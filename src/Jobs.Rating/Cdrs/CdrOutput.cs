using CsvHelper;

namespace Jobs.Rating.Cdrs;

/// <summary>
/// The re-rated CSV: one row per input record, whatever became of it, so nothing is dropped silently. Values are
/// written invariantly with LF line ends, so the same input and card give byte-identical output.
/// </summary>
internal static class CdrOutput
{
    /// <summary>The output's columns.</summary>
    public static readonly string[] Header =
    [
        "line", "call_id", "start", "destination", "number", "disposition", "billsec",
        "status", "reason", "prefix", "name", "billed_seconds", "rate", "charge",
    ];

    private static readonly byte[][] StatusNames =
        [.. Enum.GetValues<CdrStatus>().Select(status => System.Text.Encoding.ASCII.GetBytes(status.ToString().ToLowerInvariant()))];

    /// <summary>Writer options for the output.</summary>
    public static CsvWriterOptions Options() => new() { NewLine = "\n", Injection = CsvInjection.None };

    /// <summary>Writes the current input record's row; the fields come straight from the reader's buffer.</summary>
    public static void Write(CsvWriter writer, CsvReader reader, CdrLayout layout, in CdrRowOutcome row, int precision)
    {
        writer.WriteField(row.Line);
        writer.WriteField(Field(reader, layout.CallId));
        writer.WriteField(Field(reader, layout.Start));
        writer.WriteField(Field(reader, layout.Destination));
        writer.WriteField(row.Number);
        writer.WriteField(Field(reader, layout.Disposition));
        writer.WriteField(Field(reader, layout.BilledSeconds));
        writer.WriteField(StatusNames[(int)row.Status]);
        writer.WriteField(row.Reason);
        WriteRating(writer, row, precision);
    }

    private static void WriteRating(CsvWriter writer, in CdrRowOutcome row, int precision)
    {
        var entry = row.Rating.Entry;
        writer.WriteField(entry?.Prefix);
        writer.WriteField(entry?.Name);
        writer.WriteField(row.Rating.BilledSeconds);
        if (entry is null)
        {
            writer.WriteField(ReadOnlySpan<byte>.Empty);
        }
        else
        {
            writer.WriteField(entry.Rate, default);
        }

        // Every row's charge has the card's precision, 0.0000 when nothing was charged.
        writer.WriteField(ExactDecimal.FromUnits(row.Rating.ChargeUnits, precision), default);
    }

    private static ReadOnlySpan<byte> Field(CsvReader reader, int index) =>
        index >= 0 && index < reader.FieldCount ? reader.GetSpan(index).Trim((byte)' ') : default;
}
