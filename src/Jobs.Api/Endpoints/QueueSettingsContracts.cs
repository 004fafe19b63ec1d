namespace Jobs.Api.Endpoints;

/// <summary>A queue's settings as the API shows them. Durations are in milliseconds.</summary>
public sealed record QueueSettingsResponse(
    string Type,
    bool Paused,
    int Concurrency,
    int DefaultAttempts,
    BackoffResponse DefaultBackoff,
    double DefaultTimeoutMs,
    RetentionResponse Completed,
    RetentionResponse Failed,
    long Version)
{
    public static QueueSettingsResponse From(string type, QueueSettings settings) => new(
        type,
        settings.Paused,
        settings.Concurrency,
        settings.DefaultAttempts,
        new BackoffResponse(
            settings.DefaultBackoff.Kind,
            settings.DefaultBackoff.Delay.TotalMilliseconds,
            settings.DefaultBackoff.MaxDelay?.TotalMilliseconds),
        settings.DefaultTimeout.TotalMilliseconds,
        new RetentionResponse(settings.CompletedRetention.TotalMilliseconds, settings.CompletedKeep),
        new RetentionResponse(settings.FailedRetention.TotalMilliseconds, settings.FailedKeep),
        settings.Version);
}

/// <summary>How long finished jobs of one status are kept: by age and by count, whichever removes more.</summary>
public sealed record RetentionResponse(double MaxAgeMs, int MaxCount);

/// <summary>The body of <c>PUT /api/queues/{type}/settings</c>; fields left out keep their values.</summary>
public sealed record UpdateQueueSettingsRequest
{
    /// <summary>Optional, as GET shows it: must name the queue of the route.</summary>
    public string? Type { get; init; }

    /// <summary>Optional, as GET shows it: when sent, the change applies only if the settings are still at this version.</summary>
    public long? Version { get; init; }

    public bool? Paused { get; init; }

    /// <summary>Attempts of this type running at once on each silo, 1 to 10,000.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Attempts for jobs that set none, 1 to 100.</summary>
    public int? DefaultAttempts { get; init; }

    public BackoffRequest? DefaultBackoff { get; init; }

    /// <summary>Per-attempt timeout for jobs that set none, 1 ms to 7 days.</summary>
    public long? DefaultTimeoutMs { get; init; }

    public RetentionRequest? Completed { get; init; }

    public RetentionRequest? Failed { get; init; }
}

/// <summary>Retention of one final status; either field may be left out.</summary>
public sealed record RetentionRequest
{
    /// <summary>Jobs finished longer ago than this are deleted: 1 minute to 3,650 days.</summary>
    public long? MaxAgeMs { get; init; }

    /// <summary>At most this many are kept, the newest: 0 to 1,000,000,000.</summary>
    public int? MaxCount { get; init; }
}

/// <summary>Checks a settings change field by field and applies it to the current settings.</summary>
public static class QueueSettingsValidator
{
    private const long Day = 24L * 3600 * 1000;

    public static QueueSettings? Apply(
        UpdateQueueSettingsRequest request, QueueSettings current, out Dictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Check(long? value, long min, long max, string field)
        {
            if (value is { } v && (v < min || v > max))
            {
                found[field] = [$"must be between {min} and {max}"];
            }
        }

        Check(request.Concurrency, 1, 10_000, "concurrency");
        Check(request.DefaultAttempts, 1, 100, "defaultAttempts");
        Check(request.DefaultTimeoutMs, 1, 7 * Day, "defaultTimeoutMs");
        Check(request.Completed?.MaxAgeMs, 60_000, 3_650 * Day, "completed.maxAgeMs");
        Check(request.Completed?.MaxCount, 0, 1_000_000_000, "completed.maxCount");
        Check(request.Failed?.MaxAgeMs, 60_000, 3_650 * Day, "failed.maxAgeMs");
        Check(request.Failed?.MaxCount, 0, 1_000_000_000, "failed.maxCount");
        var backoff = ToBackoff(request.DefaultBackoff, found);

        errors = found;
        if (found.Count > 0)
        {
            return null;
        }

        return current with
        {
            Paused = request.Paused ?? current.Paused,
            Concurrency = request.Concurrency ?? current.Concurrency,
            DefaultAttempts = request.DefaultAttempts ?? current.DefaultAttempts,
            DefaultBackoff = backoff ?? current.DefaultBackoff,
            DefaultTimeout = request.DefaultTimeoutMs is { } timeout ? TimeSpan.FromMilliseconds(timeout) : current.DefaultTimeout,
            CompletedRetention = Age(request.Completed) ?? current.CompletedRetention,
            CompletedKeep = request.Completed?.MaxCount ?? current.CompletedKeep,
            FailedRetention = Age(request.Failed) ?? current.FailedRetention,
            FailedKeep = request.Failed?.MaxCount ?? current.FailedKeep,
        };
    }

    private static TimeSpan? Age(RetentionRequest? retention) =>
        retention?.MaxAgeMs is { } age ? TimeSpan.FromMilliseconds(age) : null;

    private static Backoff? ToBackoff(BackoffRequest? request, Dictionary<string, string[]> errors)
    {
        if (request is null)
        {
            return null;
        }

        if (request.Kind is null)
        {
            errors["defaultBackoff.kind"] = ["is required: fixed or exponential"];
        }

        if (request.DelayMs is not { } delay || delay < 0 || delay > 366 * Day)
        {
            errors["defaultBackoff.delayMs"] = ["is required: 0 to 366 days in milliseconds"];
        }
        else if (request.MaxDelayMs is { } max && (max < delay || max > 366 * Day))
        {
            errors["defaultBackoff.maxDelayMs"] = ["must be at least delayMs and at most 366 days in milliseconds"];
        }

        return request is { Kind: { } kind, DelayMs: { } d } && errors.Count == 0
            ? new Backoff(kind, TimeSpan.FromMilliseconds(d), request.MaxDelayMs is { } m ? TimeSpan.FromMilliseconds(m) : null)
            : null;
    }
}
