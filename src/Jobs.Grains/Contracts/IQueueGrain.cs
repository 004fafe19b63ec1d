using Orleans.Concurrency;

namespace Jobs;

/// <summary>
/// One job type's queue: its settings (concurrency, pause, defaults), applied across the cluster, and the
/// reminder that wakes its delayed and waiting jobs. The key is the type id.
/// </summary>
[Alias("Jobs.IQueueGrain")]
public interface IQueueGrain : IGrainWithStringKey
{
    [Alias("GetSettings"), AlwaysInterleave]
    Task<QueueSettings> GetSettingsAsync();

    /// <summary>Stores new settings and pushes them to every silo.</summary>
    [Alias("UpdateSettings")]
    Task<QueueSettings> UpdateSettingsAsync(QueueSettings settings);

    /// <summary>Stops starting new attempts of this type (jobs wait; active ones finish), or starts again.</summary>
    [Alias("SetPaused")]
    Task<QueueSettings> SetPausedAsync(bool paused);

    /// <summary>Subscribes a silo's workers to settings changes; returns the current settings.</summary>
    [Alias("Subscribe")]
    Task<QueueSettings> SubscribeAsync(IQueueObserver observer);

    /// <summary>Wakes the jobs of this type that are due soon, or whose silo is gone. Returns how many it woke.</summary>
    /// <remarks>A sweep only reads the index and calls jobs, so it may interleave with settings changes.</remarks>
    [Alias("Sweep"), AlwaysInterleave]
    Task<int> SweepAsync();
}

/// <summary>A silo's listener for queue settings changes.</summary>
[Alias("Jobs.IQueueObserver")]
public interface IQueueObserver : IGrainObserver
{
    [Alias("SettingsChanged")]
    Task SettingsChangedAsync(string type, QueueSettings settings);
}

/// <summary>A queue's settings. Concurrency is per silo.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.QueueSettings")]
public sealed record QueueSettings
{
    [Id(0)] public bool Paused { get; init; }

    /// <summary>How many attempts of this type may run at once on each silo.</summary>
    [Id(1)] public int Concurrency { get; init; } = 16;

    [Id(2)] public int DefaultAttempts { get; init; } = 3;

    [Id(3)] public Backoff DefaultBackoff { get; init; } = new(BackoffKind.Exponential, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

    /// <summary>The attempt timeout when a job sets none.</summary>
    [Id(4)] public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Completed jobs older than this are deleted.</summary>
    [Id(5)] public TimeSpan CompletedRetention { get; init; } = TimeSpan.FromDays(1);

    /// <summary>At most this many completed jobs are kept; the oldest go first.</summary>
    [Id(6)] public int CompletedKeep { get; init; } = 100_000;

    /// <summary>Failed jobs are kept longer by default: people come back to look at them.</summary>
    [Id(7)] public TimeSpan FailedRetention { get; init; } = TimeSpan.FromDays(7);

    [Id(8)] public int FailedKeep { get; init; } = 100_000;

    /// <summary>Incremented by every change, so silos can ignore a stale notification.</summary>
    [Id(9)] public long Version { get; init; }
}
