namespace Jobs.Rating.Cdrs;

/// <summary>What became of one call record.</summary>
public enum CdrStatus
{
    /// <summary>Matched and charged.</summary>
    Rated,

    /// <summary>Answered, but no prefix of its number has a rate in force at its start.</summary>
    Unmatched,

    /// <summary>Answered, but its prefix is blocked on the card: reported, not charged.</summary>
    Blocked,

    /// <summary>Not charged by rule: not answered, no answered seconds, or an internal number.</summary>
    Skipped,

    /// <summary>The row could not be read as a call (missing fields, seconds or start not readable).</summary>
    Bad,
}

/// <summary>A call record that was not rated and that someone should look at.</summary>
/// <param name="Line">1-based line of the record in the input file.</param>
/// <param name="Status">Unmatched, blocked or bad.</param>
/// <param name="Destination">The dialed number as written.</param>
/// <param name="Reason">Why.</param>
public sealed record CdrIssue(long Line, CdrStatus Status, string Destination, string Reason);
