using System.Buffers.Text;
using System.Text;
using CsvHelper;

namespace Jobs.Rating.Cdrs;

/// <summary>
/// Decides what becomes of one call record: skipped when not answered or internal, bad when unreadable,
/// otherwise rated, unmatched or blocked by the revision of the card in force at the call's start. Allocates only
/// to describe a bad row (and once per revision, to compile it).
/// </summary>
internal sealed class CdrRowRater(CardTimeline timeline, NumberNormalizer normalizer, DateTime? defaultStart)
{
    /// <summary>A year of seconds: longer "calls" are corrupt records, not calls.</summary>
    public const int MaxBillsec = 366 * 24 * 3600;

    public const string NotAnswered = "not answered";
    public const string NoSeconds = "no billed seconds";
    public const string Internal = "internal number";
    public const string NoPrefix = "no prefix matches";
    public const string PrefixBlocked = "prefix is blocked";

    private readonly byte[] _number = new byte[NumberNormalizer.BufferLength];
    private readonly CardRater?[] _raters = new CardRater?[timeline.Count];

    /// <summary>Classifies and rates the reader's current record.</summary>
    public CdrRowOutcome Rate(CsvReader reader, CdrLayout layout, long line)
    {
        if (reader.FieldCount < layout.RequiredFields)
        {
            return Bad(line, $"row has {reader.FieldCount} fields, at least {layout.RequiredFields} are needed");
        }

        if (layout.Disposition >= 0 && !IsAnswered(reader.GetSpan(layout.Disposition)))
        {
            return Outcome(line, CdrStatus.Skipped, NotAnswered);
        }

        var billsec = reader.GetSpan(layout.BilledSeconds).Trim((byte)' ');
        if (!Utf8Parser.TryParse(billsec, out int seconds, out var used) || used != billsec.Length || seconds is < 0 or > MaxBillsec)
        {
            return Bad(line, $"billsec '{Encoding.UTF8.GetString(billsec)}' is not a whole number of seconds up to {MaxBillsec}");
        }

        return seconds == 0 ? Outcome(line, CdrStatus.Skipped, NoSeconds) : RateAnswered(reader, layout, line, seconds);
    }

    private CdrRowOutcome RateAnswered(CsvReader reader, CdrLayout layout, long line, int seconds)
    {
        var length = normalizer.Normalize(reader.GetSpan(layout.Destination), _number);
        if (length < 0)
        {
            return Outcome(line, CdrStatus.Skipped, Internal, answered: true);
        }

        if (!TryStart(reader, layout, out var start))
        {
            var text = layout.Start < 0 ? "" : Encoding.UTF8.GetString(reader.GetSpan(layout.Start));
            return Bad(line, $"start '{text}' is not a date and time", answered: true);
        }

        var number = _number.AsSpan(0, length);
        var card = timeline.IndexAt(start);
        var rater = _raters[card] ??= timeline.CardAt(card).Rater;
        var rating = rater.Rate(number, start, seconds);
        var (status, reason) = rating.Status switch
        {
            RatingStatus.Rated => (CdrStatus.Rated, ""),
            RatingStatus.Blocked => (CdrStatus.Blocked, PrefixBlocked),
            _ => (CdrStatus.Unmatched, NoPrefix),
        };

        return new CdrRowOutcome(line, status, reason, number, rating, answered: true, card);
    }

    /// <summary>Reads the record's start (or the default start when the file has no start column).</summary>
    public bool TryStart(CsvReader reader, CdrLayout layout, out DateTime start)
    {
        if (layout.Start < 0)
        {
            start = defaultStart ?? default;
            return defaultStart is not null;
        }

        return CallTime.TryParse(reader.GetSpan(layout.Start), out start);
    }

    private static bool IsAnswered(ReadOnlySpan<byte> disposition) =>
        Ascii.EqualsIgnoreCase(disposition.Trim((byte)' '), "ANSWERED"u8);

    private static CdrRowOutcome Outcome(long line, CdrStatus status, string reason, bool answered = false) =>
        new(line, status, reason, default, default, answered);

    private static CdrRowOutcome Bad(long line, string reason, bool answered = false) =>
        new(line, CdrStatus.Bad, reason, default, default, answered);
}
