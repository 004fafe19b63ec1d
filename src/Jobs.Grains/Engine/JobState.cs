using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Engine;

/// <summary>
/// A job's persisted state. It is stored as JSON by the ADO.NET grain storage, and a trigger in the database
/// (infra/schema/002-jobs.sql) reads the listed property names to keep the job index in step, in the same
/// transaction: rename nothing here without changing that trigger.
/// </summary>
public sealed class JobState
{
    [JsonPropertyName("id")] public Guid Id { get; set; }
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("tenant")] public string Tenant { get; set; } = "";
    [JsonPropertyName("status"), JsonConverter(typeof(JobStatusJsonConverter))]
    public JobStatus Status { get; set; }
    [JsonPropertyName("payload")] public string Payload { get; set; } = "{}";
    [JsonPropertyName("priority")] public int Priority { get; set; }
    [JsonPropertyName("attempts")] public int Attempts { get; set; }
    [JsonPropertyName("attemptsMade")] public int AttemptsMade { get; set; }
    [JsonPropertyName("backoff")] public Backoff? Backoff { get; set; }
    [JsonPropertyName("timeoutMs")] public long TimeoutMs { get; set; }
    [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; set; }
    [JsonPropertyName("dueAt")] public DateTimeOffset DueAt { get; set; }
    [JsonPropertyName("startedAt")] public DateTimeOffset? StartedAt { get; set; }
    [JsonPropertyName("finishedAt")] public DateTimeOffset? FinishedAt { get; set; }
    [JsonPropertyName("failedReason")] public string? FailedReason { get; set; }
    [JsonPropertyName("progress")] public int Progress { get; set; }
    [JsonPropertyName("progressMessage")] public string? ProgressMessage { get; set; }
    [JsonPropertyName("result")] public string? Result { get; set; }

    /// <summary>The silo holding the job's activation when this state was written.</summary>
    [JsonPropertyName("silo")] public string? Silo { get; set; }
    [JsonPropertyName("idempotencyKey")] public string? IdempotencyKey { get; set; }
    [JsonPropertyName("summary")] public Dictionary<string, string>? Summary { get; set; }
    [JsonPropertyName("logs")] public List<JobLogLine> Logs { get; set; } = [];

    /// <summary>How many of the oldest log lines were dropped to keep <see cref="Logs"/> bounded.</summary>
    [JsonPropertyName("logsDropped")] public int LogsDropped { get; set; }
    [JsonPropertyName("history")] public List<AttemptRecord> History { get; set; } = [];

    [JsonIgnore] public bool Exists => Id != Guid.Empty;

    public JobSnapshot ToSnapshot(JobProgress? liveProgress = null, IReadOnlyList<JobLogLine>? liveLogs = null) => new()
    {
        Id = Id,
        Type = Type,
        Tenant = Tenant,
        Status = Status,
        Payload = Payload,
        AttemptsMade = AttemptsMade,
        Attempts = Attempts,
        Priority = Priority,
        CreatedAt = CreatedAt,
        DueAt = DueAt,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        FailedReason = FailedReason,
        Progress = liveProgress ?? new JobProgress(Progress, ProgressMessage),
        Result = Result,
        Logs = liveLogs is { Count: > 0 } ? [.. Logs, .. liveLogs] : [.. Logs],
        History = [.. History],
        Backoff = Backoff,
        Timeout = TimeSpan.FromMilliseconds(TimeoutMs),
        IdempotencyKey = IdempotencyKey,
    };
}

/// <summary>Writes statuses by their wire ids ("wait", "active", …), which the index trigger stores as they are.</summary>
internal sealed class JobStatusJsonConverter : JsonConverter<JobStatus>
{
    public override JobStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JobStatuses.TryParse(reader.GetString(), out var status)
            ? status
            : throw new JsonException($"Unknown job status '{reader.GetString()}'.");

    public override void Write(Utf8JsonWriter writer, JobStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToId());
}
