using Microsoft.Extensions.Options;

namespace Jobs.Engine;

/// <summary>Timings of the job engine. The defaults suit production; tests shorten some.</summary>
public sealed class JobEngineOptions
{
    public const string Section = "Jobs:Engine";

    /// <summary>
    /// A delayed job due within this window keeps an in-memory timer for its exact due time; one due later is
    /// left to the queue's reminder, which wakes jobs before they fall into the window. Must exceed
    /// <see cref="SweepPeriod"/> so no job slips between two sweeps.
    /// </summary>
    public TimeSpan HoldWindow { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often each queue's reminder sweeps for due jobs. Orleans reminders tick at minute scale.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many jobs one sweep wakes at most; the rest wait for the next sweep.</summary>
    public int SweepBatch { get; set; } = 5_000;

    /// <summary>How often a running attempt's progress and log lines are collected into the job's state.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often collected progress is written to storage while an attempt runs.</summary>
    public TimeSpan ProgressPersistInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long past its timeout an attempt that ignores cancellation is given before it is abandoned.</summary>
    public TimeSpan AbandonGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopping silo waits for running attempts to notice cancellation.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many log lines a job keeps in its state; older ones are dropped and counted.</summary>
    public int MaxLogLines { get; set; } = 200;
}

internal sealed class JobEngineOptionsValidator : IValidateOptions<JobEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, JobEngineOptions options)
    {
        var failures = new List<string>();
        if (options.SweepPeriod < TimeSpan.FromMinutes(1))
        {
            failures.Add($"{JobEngineOptions.Section}:SweepPeriod must be at least 1 minute (Orleans reminders' minimum).");
        }

        if (options.HoldWindow <= options.SweepPeriod)
        {
            failures.Add($"{JobEngineOptions.Section}:HoldWindow ({options.HoldWindow}) must exceed SweepPeriod ({options.SweepPeriod}).");
        }

        if (options.SweepBatch < 1)
        {
            failures.Add($"{JobEngineOptions.Section}:SweepBatch must be positive.");
        }

        if (options.MaxLogLines < 1)
        {
            failures.Add($"{JobEngineOptions.Section}:MaxLogLines must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
