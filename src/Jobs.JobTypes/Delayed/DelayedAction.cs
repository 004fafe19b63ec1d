namespace Jobs.JobTypes.Delayed;

/// <summary>What a delayed job does when it runs: an HTTP request or the creation of another job.</summary>
internal abstract record DelayedAction;

/// <summary>An HTTP request. <see cref="Body"/> is sent with <see cref="ContentType"/> when present.</summary>
internal sealed record HttpAction(
    HttpMethod Method,
    Uri Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Body,
    string? ContentType) : DelayedAction;

/// <summary>
/// A job to create in the delayed job's tenant; <see cref="Delay"/> counts from when the action runs.
/// </summary>
internal sealed record JobAction(
    string Type,
    string PayloadJson,
    int? Attempts,
    Backoff? Backoff,
    int Priority,
    TimeSpan? Timeout,
    TimeSpan? Delay,
    DateTimeOffset? RunAt) : DelayedAction;
