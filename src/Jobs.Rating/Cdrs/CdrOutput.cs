using System.Buffers.Text;
using System.Text;
using CsvHelper;

namespace Jobs.Rating.Cdrs;

/// <summary>
/// The re-rated CSV: one row per input record, whatever became of it, so nothing is dropped silently. Values are
/// written invariantly with LF line ends, so the same input and card give byte-identical output. Input fields are
/// copied from the reader's buffer, and each entry's prefix, name and rate are encoded once per run.
/// </summary>
internal sealed class CdrOutput(CardTimeline timeline)
{
    /// <summary>The output's columns.</summary>
    public static readonly string[] Header =
    [
        "line", "call_id", "start", "destination", "number", "disposition", "billsec",
        "status", "reason", "prefix", "name", "billed_seconds", "rate", "charge",
    ];

    private static readonly byte[][] StatusNames =
        [.. Enum.GetValues<CdrStatus>().Select(status => Encoding.ASCII.GetBytes(status.ToString().ToLowerInvariant()))];

    private readonly EntryText?[]?[] _entries = new EntryText?[]?[timeline.Count];

    /// <summary>Writer options for the output.</summary>
    public static CsvWriterOptions Options() => new() { NewLine = "\n", Injection = CsvInjection.None };

    /// <summary>Writes the current input record's row.</summary>
    public void Write(CsvWriter writer, CsvReader reader, CdrLayout layout, in CdrRowOutcome row)
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
        WriteRating(writer, row.Rating, row.Card);
    }

    private void WriteRating(CsvWriter writer, CallRating rating, int card)
    {
        var entry = rating.EntryIndex < 0 ? null : Text(card, rating.EntryIndex);
        writer.WriteField(entry is null ? default : entry.Prefix);
        writer.WriteField(entry is null ? default : entry.Name);
        writer.WriteField(rating.BilledSeconds);
        writer.WriteField(entry is null ? default : entry.Rate);

        // Every row's charge has its revision's precision (the timeline's when no revision was asked): 0.0000 when
        // nothing was charged.
        var precision = card < 0 ? timeline.Precision : timeline.PrecisionAt(card);
        Span<byte> charge = stackalloc byte[32];
        writer.WriteField(charge[..FormatUnits(rating.ChargeUnits, precision, charge)]);
    }

    private EntryText Text(int card, int index)
    {
        var texts = _entries[card] ??= new EntryText?[timeline.CardAt(card).Entries.Count];
        return texts[index] ??= new EntryText(timeline.CardAt(card).Entries[index]);
    }

    /// <summary>Writes units of 10^-precision as a decimal with exactly <paramref name="precision"/> places.</summary>
    internal static int FormatUnits(long units, int precision, Span<byte> destination)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(units, digits, out var count);

        // Pad with leading zeros so there is at least one digit before the point: 16 at 4 places is 0.0016.
        var padded = Math.Max(count, precision + 1);
        var length = 0;
        for (var i = 0; i < padded; i++)
        {
            if (i == padded - precision)
            {
                destination[length++] = (byte)'.';
            }

            var source = i - (padded - count);
            destination[length++] = source < 0 ? (byte)'0' : digits[source];
        }

        return length;
    }

    private static ReadOnlySpan<byte> Field(CsvReader reader, int index) =>
        index >= 0 && index < reader.FieldCount ? reader.GetSpan(index).Trim((byte)' ') : default;

    /// <summary>An entry's columns as UTF-8.</summary>
    private sealed class EntryText(RateEntry entry)
    {
        public byte[] Prefix { get; } = Encoding.UTF8.GetBytes(entry.Prefix);

        public byte[] Name { get; } = Encoding.UTF8.GetBytes(entry.Name);

        public byte[] Rate { get; } = Encoding.UTF8.GetBytes(entry.Rate.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
