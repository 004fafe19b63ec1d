using System.Text.Json;

namespace Jobs.Api.Endpoints;

/// <summary>A job as the API shows it.</summary>
public sealed record JobResponse
{
    public required Guid Id { get; init; }
    public required string Type { get; init; }
    public required string Tenant { get; init; }

    /// <summary>wait, delayed, active, completed or failed.</summary>
    public required string Status { get; init; }
    public JsonElement Payload { get; init; }
    public int AttemptsMade { get; init; }
    public int Attempts { get; init; }
    public int Priority { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>From the time the latest attempt was due to its start.</summary>
    public double? StartLatencyMs { get; init; }

    /// <summary>From start to finish of the latest attempt.</summary>
    public double? RunTimeMs { get; init; }
    public string? FailedReason { get; init; }
    public required ProgressResponse Progress { get; init; }
    public JsonElement? Result { get; init; }
    public BackoffResponse? Backoff { get; init; }
    public double? TimeoutMs { get; init; }
    public string? IdempotencyKey { get; init; }
    public IReadOnlyList<LogLineResponse> Logs { get; init; } = [];
    public IReadOnlyList<AttemptResponse> History { get; init; } = [];

    public static JobResponse From(JobSnapshot job) => new()
    {
        Id = job.Id,
        Type = job.Type,
        Tenant = job.Tenant,
        Status = job.Status.ToId(),
        Payload = ParseJson(job.Payload) ?? default,
        AttemptsMade = job.AttemptsMade,
        Attempts = job.Attempts,
        Priority = job.Priority,
        CreatedAt = job.CreatedAt,
        DueAt = job.DueAt,
        StartedAt = job.StartedAt,
        FinishedAt = job.FinishedAt,
        StartLatencyMs = job.StartLatency?.TotalMilliseconds,
        RunTimeMs = job.RunTime?.TotalMilliseconds,
        FailedReason = job.FailedReason,
        Progress = new ProgressResponse(job.Progress.Percent, job.Progress.Message),
        Result = ParseJson(job.Result),
        Backoff = job.Backoff is { } b
            ? new BackoffResponse(b.Kind, b.Delay.TotalMilliseconds, b.MaxDelay?.TotalMilliseconds)
            : null,
        TimeoutMs = job.Timeout?.TotalMilliseconds,
        IdempotencyKey = job.IdempotencyKey,
        Logs = [.. job.Logs.Select(line => new LogLineResponse(line.At, line.Attempt, line.Level, line.Message))],
        History = [.. job.History.Select(AttemptResponse.From)],
    };

    private static JsonElement? ParseJson(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

public sealed record ProgressResponse(int Percent, string? Message);

public sealed record BackoffResponse(BackoffKind Kind, double DelayMs, double? MaxDelayMs);

public sealed record LogLineResponse(DateTimeOffset At, int Attempt, string Level, string Message);

/// <summary>One attempt: when, where, and how it ended (completed, failed, timed-out, cancelled, lost, interrupted).</summary>
public sealed record AttemptResponse(
    int Attempt, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Outcome, string? Error, string Silo)
{
    public static AttemptResponse From(AttemptRecord record) => new(
        record.Number,
        record.StartedAt,
        record.FinishedAt,
        record.Outcome is { } outcome ? JsonNamingPolicy.KebabCaseLower.ConvertName(outcome.ToString()) : null,
        record.Error,
        record.Silo);
}

/// <summary>A row of a listing.</summary>
public sealed record JobListItemResponse
{
    public required Guid Id { get; init; }
    public required string Type { get; init; }
    public required string Tenant { get; init; }
    public required string Status { get; init; }
    public int AttemptsMade { get; init; }
    public int Attempts { get; init; }
    public int Priority { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public double? StartLatencyMs { get; init; }
    public double? RunTimeMs { get; init; }
    public string? FailedReason { get; init; }
    public int Progress { get; init; }
    public IReadOnlyDictionary<string, string>? Summary { get; init; }

    public static JobListItemResponse From(JobListItem item) => new()
    {
        Id = item.Id,
        Type = item.Type,
        Tenant = item.Tenant,
        Status = item.Status.ToId(),
        AttemptsMade = item.AttemptsMade,
        Attempts = item.Attempts,
        Priority = item.Priority,
        CreatedAt = item.CreatedAt,
        DueAt = item.DueAt,
        StartedAt = item.StartedAt,
        FinishedAt = item.FinishedAt,
        StartLatencyMs = item.StartLatency?.TotalMilliseconds,
        RunTimeMs = item.RunTime?.TotalMilliseconds,
        FailedReason = item.FailedReason,
        Progress = item.Progress,
        Summary = item.Summary,
    };
}

public sealed record JobListResponse(IReadOnlyList<JobListItemResponse> Items, string? NextCursor);

/// <summary>A queue: its pause state, per-silo concurrency, and its jobs counted by status.</summary>
public sealed record QueueResponse(string Type, bool Paused, int Concurrency, StatusCountsResponse Counts);

public sealed record StatusCountsResponse(long Wait, long Delayed, long Active, long Completed, long Failed)
{
    public static StatusCountsResponse From(StatusCounts counts) =>
        new(counts.Wait, counts.Delayed, counts.Active, counts.Completed, counts.Failed);
}

/// <summary>A page of a job's log; pass <see cref="Next"/> as <c>after</c> for the next page (null at the end).</summary>
public sealed record JobLogPageResponse(IReadOnlyList<JobLogEntryResponse> Items, long? Next);

/// <summary>One stored log line.</summary>
public sealed record JobLogEntryResponse(long Id, DateTimeOffset At, int Attempt, string Level, string Message);
