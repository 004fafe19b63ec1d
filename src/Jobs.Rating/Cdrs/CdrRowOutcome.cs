namespace Jobs.Rating.Cdrs;

/// <summary>What became of one record, enough to write its output row; lives on the stack.</summary>
internal readonly ref struct CdrRowOutcome
{
    public CdrRowOutcome(
        long line, CdrStatus status, string reason, ReadOnlySpan<byte> number, CallRating rating, bool answered, int card = -1)
    {
        Answered = answered;
        Card = card;
        Line = line;
        Status = status;
        Reason = reason;
        Number = number;
        Rating = rating;
    }

    public long Line { get; }

    public CdrStatus Status { get; }

    public string Reason { get; }

    /// <summary>The E.164 number, when it got that far.</summary>
    public ReadOnlySpan<byte> Number { get; }

    public CallRating Rating { get; }

    /// <summary>Whether the call was answered with seconds to bill (whatever came of it after).</summary>
    public bool Answered { get; }

    /// <summary>The position in the timeline of the revision that rated the call, or -1 when none was asked.</summary>
    public int Card { get; }
}
