namespace Jobs.Handlers;

/// <summary>How an attempt ended, as the handler says. Faults may also be thrown: they count as <see cref="Failed"/>.</summary>
public abstract record JobOutcome
{
    private JobOutcome()
    {
    }

    /// <summary>The attempt succeeded; <paramref name="resultJson"/> becomes the job's result.</summary>
    public static JobOutcome Completed(string? resultJson = null) => new Success(resultJson);

    /// <summary>The attempt failed; the job is retried if attempts remain, after its backoff.</summary>
    public static JobOutcome Failed(string reason) => new Failure(reason, Permanent: false, NextAttemptAt: null);

    /// <summary>The attempt failed and retrying cannot help; the job fails now whatever attempts remain.</summary>
    public static JobOutcome FailedPermanently(string reason) => new Failure(reason, Permanent: true, NextAttemptAt: null);

    /// <summary>The attempt failed and the next one should start at <paramref name="at"/>, not after the backoff.</summary>
    public static JobOutcome RetryAt(DateTimeOffset at, string reason) => new Failure(reason, Permanent: false, NextAttemptAt: at);

    public sealed record Success(string? ResultJson) : JobOutcome;

    public sealed record Failure(string Reason, bool Permanent, DateTimeOffset? NextAttemptAt) : JobOutcome;
}
