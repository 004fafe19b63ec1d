using System.Diagnostics.Metrics;

namespace Jobs.Engine;

/// <summary>
/// The engine's metrics (meter <c>Jobs.Engine</c>), tagged by job type: attempts started, jobs completed and failed,
/// retries, start latency and run time. Exported by whatever the host wires up (OpenTelemetry, dotnet-counters);
/// the benchmarks listen to them too.
/// </summary>
public sealed class JobMetrics : IDisposable
{
    public const string MeterName = "Jobs.Engine";

    private readonly Meter _meter;
    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Histogram<double> _startLatency;
    private readonly Histogram<double> _runTime;

    public JobMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _started = _meter.CreateCounter<long>("jobs.attempts.started", description: "Attempts started");
        _completed = _meter.CreateCounter<long>("jobs.completed", description: "Jobs completed");
        _failed = _meter.CreateCounter<long>("jobs.failed", description: "Jobs failed for good");
        _retried = _meter.CreateCounter<long>("jobs.retried", description: "Failed attempts that will be retried");
        _startLatency = _meter.CreateHistogram<double>(
            "jobs.start_latency", "ms", "From the time an attempt was due to its start");
        _runTime = _meter.CreateHistogram<double>("jobs.run_time", "ms", "From an attempt's start to its end");
    }

    public void AttemptStarted(string type, TimeSpan startLatency)
    {
        var tag = TypeTag(type);
        _started.Add(1, tag);
        _startLatency.Record(Math.Max(0, startLatency.TotalMilliseconds), tag);
    }

    public void Completed(string type, TimeSpan runTime)
    {
        var tag = TypeTag(type);
        _completed.Add(1, tag);
        _runTime.Record(runTime.TotalMilliseconds, tag);
    }

    public void Failed(string type) => _failed.Add(1, TypeTag(type));

    public void Retried(string type) => _retried.Add(1, TypeTag(type));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> TypeTag(string type) => new("job.type", type);
}
