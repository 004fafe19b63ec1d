using System.Globalization;

namespace Jobs.Rating.Cdrs;

/// <summary>
/// Counts and totals of a re-rate, or of one partition of it. Summaries of partitions add up exactly to the
/// summary of the whole file: counts are integers and <see cref="TotalCharge"/> is a sum of charges already
/// rounded, in decimal. Records = Rated + Unmatched + Blocked + Skipped + Bad.
/// </summary>
public sealed record CdrSummary
{
    /// <summary>Call records read (the header and blank lines are not records).</summary>
    public long Records { get; init; }

    /// <summary>Records answered with seconds to bill: ANSWERED (where the file has a disposition) and billsec &gt; 0.</summary>
    public long Answered { get; init; }

    /// <summary>Calls matched and charged.</summary>
    public long Rated { get; init; }

    /// <summary>Answered calls to external numbers that no prefix matched.</summary>
    public long Unmatched { get; init; }

    /// <summary>Answered calls to blocked prefixes, not charged.</summary>
    public long Blocked { get; init; }

    /// <summary>Records not charged by rule: unanswered, no seconds, or internal numbers.</summary>
    public long Skipped { get; init; }

    /// <summary>Rows that could not be read as calls.</summary>
    public long Bad { get; init; }

    /// <summary>Billed seconds of the rated calls, after increments.</summary>
    public long BilledSeconds { get; init; }

    /// <summary>Sum of the rated calls' rounded charges, exact.</summary>
    public decimal TotalCharge { get; init; }

    /// <summary>The card's precision, for <see cref="TotalChargeText"/>.</summary>
    public int Precision { get; init; }

    /// <summary>The first unmatched, blocked and bad records, in file order, up to the run's sample limit.</summary>
    public IReadOnlyList<CdrIssue> Issues { get; init; } = [];

    /// <summary>The total charge rendered with the card's precision, e.g. "12.3400".</summary>
    public string TotalChargeText =>
        TotalCharge.ToString("F" + Precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// Adds two summaries of parts of one file. Issues are kept in line order up to <paramref name="issueLimit"/>.
    /// </summary>
    public CdrSummary Add(CdrSummary other, int issueLimit = CdrRunOptions.DefaultIssueLimit)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Precision != Precision)
        {
            throw new ArgumentException($"Cannot add summaries of precision {Precision} and {other.Precision}.", nameof(other));
        }

        return new CdrSummary
        {
            Records = Records + other.Records,
            Answered = Answered + other.Answered,
            Rated = Rated + other.Rated,
            Unmatched = Unmatched + other.Unmatched,
            Blocked = Blocked + other.Blocked,
            Skipped = Skipped + other.Skipped,
            Bad = Bad + other.Bad,
            BilledSeconds = BilledSeconds + other.BilledSeconds,
            TotalCharge = TotalCharge + other.TotalCharge,
            Precision = Precision,
            Issues = [.. Issues.Concat(other.Issues).OrderBy(issue => issue.Line).Take(issueLimit)],
        };
    }

    /// <summary>Adds the summaries of all partitions of one file.</summary>
    public static CdrSummary Sum(IEnumerable<CdrSummary> parts, int issueLimit = CdrRunOptions.DefaultIssueLimit)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return parts.Aggregate((total, part) => total.Add(part, issueLimit));
    }
}
