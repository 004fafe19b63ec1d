namespace Jobs;

/// <summary>What a caller asks for when creating a job. Unset values take the queue's defaults.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.JobSpec")]
public sealed record JobSpec
{
    [Id(0)] public required string Type { get; init; }

    /// <summary>The account the job is created for.</summary>
    [Id(1)] public required string Tenant { get; init; }

    /// <summary>The type's input, as JSON text.</summary>
    [Id(2)] public string Payload { get; init; } = "{}";

    /// <summary>Maximum number of attempts, the first run included.</summary>
    [Id(3)] public int? Attempts { get; init; }

    [Id(4)] public Backoff? Backoff { get; init; }

    /// <summary>When the first attempt may start; null or past means now.</summary>
    [Id(5)] public DateTimeOffset? RunAt { get; init; }

    /// <summary>Higher numbers start first among jobs waiting in the same queue on the same silo.</summary>
    [Id(6)] public int Priority { get; init; }

    /// <summary>How long one attempt may run before it is cancelled and counted as failed.</summary>
    [Id(7)] public TimeSpan? Timeout { get; init; }

    [Id(8)] public string? IdempotencyKey { get; init; }
}
