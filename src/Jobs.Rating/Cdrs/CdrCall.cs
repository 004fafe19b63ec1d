namespace Jobs.Rating.Cdrs;

/// <summary>
/// Receives the calls of a re-rate as they are read, to keep them (a database, say). Called on the re-rate's thread,
/// in file order, for every record whose start and billed seconds can be read, whatever became of it: unanswered and
/// internal calls too, so that keeping them all and rating them again gives the same counts. Bad rows are not given.
/// </summary>
public interface ICdrCallSink
{
    /// <summary>Takes one call; the spans are valid only during the call.</summary>
    void Take(in CdrCall call);
}

/// <summary>One call record's fields as read, before rating; lives on the stack.</summary>
public readonly ref struct CdrCall
{
    public CdrCall(
        long line,
        DateTime start,
        ReadOnlySpan<byte> destination,
        int billedSeconds,
        ReadOnlySpan<byte> disposition,
        bool hasDisposition,
        ReadOnlySpan<byte> callId)
    {
        Line = line;
        Start = start;
        Destination = destination;
        BilledSeconds = billedSeconds;
        Disposition = disposition;
        HasDisposition = hasDisposition;
        CallId = callId;
    }

    /// <summary>1-based line of the record in its file.</summary>
    public long Line { get; }

    /// <summary>The start as read (wall-clock as written), or the run's default start.</summary>
    public DateTime Start { get; }

    /// <summary>The dialed number exactly as written (UTF-8).</summary>
    public ReadOnlySpan<byte> Destination { get; }

    /// <summary>The answered seconds the switch recorded (billsec), before increments.</summary>
    public int BilledSeconds { get; }

    /// <summary>The disposition as written, trimmed; empty when the file has none.</summary>
    public ReadOnlySpan<byte> Disposition { get; }

    /// <summary>Whether the file has a disposition column (without one, a call with seconds counts as answered).</summary>
    public bool HasDisposition { get; }

    /// <summary>The call's identifier, trimmed; empty when the file has none.</summary>
    public ReadOnlySpan<byte> CallId { get; }
}
