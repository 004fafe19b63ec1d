using System.Text.Json;

namespace Jobs.Api.Endpoints;

/// <summary>The body of <c>POST /api/jobs</c>.</summary>
public sealed record CreateJobRequest
{
    /// <summary>The job type id: card, cdr, delayed, orc, send, scriptforge, switch, siptest, transcribe or noop.</summary>
    public string? Type { get; init; }

    /// <summary>The type's input (a JSON object).</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Maximum attempts, 1 to 100; the queue's default when absent.</summary>
    public int? Attempts { get; init; }

    public BackoffRequest? Backoff { get; init; }

    /// <summary>Run after this many milliseconds. Not with <see cref="RunAt"/>.</summary>
    public long? DelayMs { get; init; }

    /// <summary>Run at this time (ISO 8601 with offset). Not with <see cref="DelayMs"/>.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Higher runs first among waiting jobs of the same type; -1000 to 1000, default 0.</summary>
    public int? Priority { get; init; }

    /// <summary>Per-attempt timeout in milliseconds; the queue's default when absent.</summary>
    public long? TimeoutMs { get; init; }

    /// <summary>The same key from the same tenant returns the same job instead of creating another.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The tenant to create the job for; operators only (a tenant key always creates for its own tenant).</summary>
    public string? Tenant { get; init; }
}

/// <summary>How long a failed attempt waits: <c>fixed</c>, or <c>exponential</c> (doubling, with ±20% jitter).</summary>
public sealed record BackoffRequest
{
    public BackoffKind? Kind { get; init; }

    public long? DelayMs { get; init; }

    public long? MaxDelayMs { get; init; }
}
