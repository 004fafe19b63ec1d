namespace Jobs;

/// <summary>How long a failed attempt waits before the next one.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.Backoff")]
public sealed record Backoff(
    [property: Id(0)] BackoffKind Kind,
    [property: Id(1)] TimeSpan Delay,
    [property: Id(2)] TimeSpan? MaxDelay = null)
{
    /// <summary>The delay before the attempt that follows attempt <paramref name="attemptsMade"/> (1-based).</summary>
    /// <param name="attemptsMade">How many attempts have run, including the one that just failed.</param>
    /// <param name="jitter">A number in [0, 1) drawn by the caller; exponential delays spread by up to ±20%.</param>
    public TimeSpan DelayAfter(int attemptsMade, double jitter)
    {
        if (Kind == BackoffKind.Fixed || Delay <= TimeSpan.Zero)
        {
            return Cap(Delay);
        }

        // 2^(n-1) grows past any cap quickly; clamping the exponent keeps the double finite.
        var exponent = Math.Min(Math.Max(attemptsMade - 1, 0), 40);
        var raw = Delay.TotalMilliseconds * Math.Pow(2, exponent);
        var spread = 0.8 + (0.4 * jitter);
        var capped = Math.Min(raw * spread, (MaxDelay ?? TimeSpan.FromDays(1)).TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped);
    }

    private TimeSpan Cap(TimeSpan delay) => MaxDelay is { } max && delay > max ? max : delay;
}

[GenerateSerializer, Alias("Jobs.BackoffKind")]
public enum BackoffKind
{
    Fixed = 0,
    Exponential = 1,
}
