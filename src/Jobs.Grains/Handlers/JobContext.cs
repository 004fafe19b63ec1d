using System.Collections.Concurrent;
using System.Text.Json;

namespace Jobs.Handlers;

/// <summary>
/// What a handler knows about the attempt it runs, and how it reports back. Progress and log lines are buffered
/// here, safely from any thread, and the job grain collects them; handlers never touch grain state.
/// </summary>
public sealed class JobContext
{
    private readonly ConcurrentQueue<JobLogLine> _pendingLogs = new();
    private readonly TimeProvider _clock;
    private JobProgress _progress = JobProgress.None;
    private int _progressVersion;

    public JobContext(
        Guid jobId,
        string type,
        string tenant,
        int attempt,
        int attempts,
        string payloadJson,
        IGrainFactory grainFactory,
        TimeProvider? clock = null,
        int run = 0)
    {
        Run = run == 0 ? attempt : run;
        JobId = jobId;
        Type = type;
        Tenant = tenant;
        Attempt = attempt;
        Attempts = attempts;
        PayloadJson = payloadJson;
        GrainFactory = grainFactory;
        _clock = clock ?? TimeProvider.System;
        using var document = JsonDocument.Parse(payloadJson);
        Payload = document.RootElement.Clone();
    }

    public Guid JobId { get; }

    public string Type { get; }

    public string Tenant { get; }

    /// <summary>The number of this attempt, from 1.</summary>
    public int Attempt { get; }

    /// <summary>
    /// The number of this run in the job's whole history, from 1. It equals <see cref="Attempt"/> until the job is
    /// retried by hand, which starts a fresh set of attempts but keeps counting runs.
    /// </summary>
    public int Run { get; }

    /// <summary>The maximum number of attempts; when <see cref="Attempt"/> equals it, this is the last one.</summary>
    public int Attempts { get; }

    public string PayloadJson { get; }

    public JsonElement Payload { get; }

    /// <summary>For handlers that fan work out to other grains (for example partitions of a large re-rate).</summary>
    public IGrainFactory GrainFactory { get; }

    /// <summary>The latest progress reported.</summary>
    public JobProgress Progress => Volatile.Read(ref _progress);

    /// <summary>Increases each time progress is reported, so readers can tell whether anything changed.</summary>
    public int ProgressVersion => Volatile.Read(ref _progressVersion);

    /// <summary>Reads the payload as <typeparamref name="T"/> with the web defaults (camelCase).</summary>
    public T GetPayload<T>() => Payload.Deserialize<T>(JobJson.Options)
        ?? throw new JsonException("The payload is null.");

    /// <summary>Reports how far the attempt has got: 0 to 100, with a short message for people watching.</summary>
    public void ReportProgress(int percent, string? message = null)
    {
        Volatile.Write(ref _progress, new JobProgress(Math.Clamp(percent, 0, 100), message));
        Interlocked.Increment(ref _progressVersion);
    }

    /// <summary>Writes a line to the job's log. Never write secrets: logs are shown to the job's tenant.</summary>
    public void Log(string message, string level = "info") =>
        _pendingLogs.Enqueue(new JobLogLine(_clock.GetUtcNow(), Attempt, level, message));

    /// <summary>The log lines written and not yet taken, left in place.</summary>
    public IReadOnlyList<JobLogLine> PeekLogs() => _pendingLogs.IsEmpty ? [] : _pendingLogs.ToArray();

    /// <summary>Takes the log lines written since the last call.</summary>
    public IReadOnlyList<JobLogLine> DrainLogs()
    {
        if (_pendingLogs.IsEmpty)
        {
            return [];
        }

        var lines = new List<JobLogLine>();
        while (_pendingLogs.TryDequeue(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }
}
