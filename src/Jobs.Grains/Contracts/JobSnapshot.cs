namespace Jobs;

/// <summary>Everything a caller can see of a job at one moment.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.JobSnapshot")]
public sealed record JobSnapshot
{
    [Id(0)] public required Guid Id { get; init; }
    [Id(1)] public required string Type { get; init; }
    [Id(2)] public required string Tenant { get; init; }
    [Id(3)] public required JobStatus Status { get; init; }
    [Id(4)] public required string Payload { get; init; }
    [Id(5)] public int AttemptsMade { get; init; }
    [Id(6)] public int Attempts { get; init; }
    [Id(7)] public int Priority { get; init; }
    [Id(8)] public DateTimeOffset CreatedAt { get; init; }
    [Id(9)] public DateTimeOffset DueAt { get; init; }
    [Id(10)] public DateTimeOffset? StartedAt { get; init; }
    [Id(11)] public DateTimeOffset? FinishedAt { get; init; }
    [Id(12)] public string? FailedReason { get; init; }
    [Id(13)] public JobProgress Progress { get; init; } = JobProgress.None;
    [Id(14)] public string? Result { get; init; }
    [Id(15)] public IReadOnlyList<JobLogLine> Logs { get; init; } = [];
    [Id(16)] public IReadOnlyList<AttemptRecord> History { get; init; } = [];
    [Id(17)] public Backoff? Backoff { get; init; }
    [Id(18)] public TimeSpan? Timeout { get; init; }
    [Id(19)] public string? IdempotencyKey { get; init; }

    /// <summary>From the time the latest attempt was due to the time it started.</summary>
    public TimeSpan? StartLatency => StartedAt - DueAt is { } latency && latency > TimeSpan.Zero ? latency
        : StartedAt is null ? null : TimeSpan.Zero;

    /// <summary>From start to finish of the latest attempt.</summary>
    public TimeSpan? RunTime => FinishedAt - StartedAt;
}

/// <summary>How far the running attempt has got, as the handler last said.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.JobProgress")]
public sealed record JobProgress([property: Id(0)] int Percent, [property: Id(1)] string? Message)
{
    public static JobProgress None { get; } = new(0, null);
}

/// <summary>One line a handler wrote while a job ran.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.JobLogLine")]
public sealed record JobLogLine(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string Level,
    [property: Id(3)] string Message);

/// <summary>One attempt of a job: when it ran, where, and how it ended.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.AttemptRecord")]
public sealed record AttemptRecord
{
    [Id(0)] public required int Number { get; init; }
    [Id(1)] public required DateTimeOffset StartedAt { get; init; }
    [Id(2)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Null while running.</summary>
    [Id(3)] public AttemptOutcome? Outcome { get; init; }
    [Id(4)] public string? Error { get; init; }

    /// <summary>The silo the attempt ran on.</summary>
    [Id(5)] public required string Silo { get; init; }
}

[GenerateSerializer, Alias("Jobs.AttemptOutcome")]
public enum AttemptOutcome
{
    Completed = 0,
    Failed = 1,
    TimedOut = 2,
    Cancelled = 3,

    /// <summary>The silo running the attempt died; the attempt counts.</summary>
    Lost = 4,

    /// <summary>The silo was shutting down and stopped the attempt; it does not count.</summary>
    Interrupted = 5,
}
