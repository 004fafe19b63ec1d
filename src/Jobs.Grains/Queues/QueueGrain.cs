using Jobs.Engine;
using Jobs.Registry;
using Jobs.Retention;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Jobs.Queues;

/// <summary>
/// One job type's queue. It stores the queue's settings and pushes every change to the silos' worker lanes, and its
/// reminder sweeps the job index for jobs to wake: delayed jobs about to fall due (which then keep a precise
/// in-memory timer), waiting jobs whose activation is gone, and unfinished jobs whose silo is no longer alive.
/// Because the reminder is stored with the cluster, a job due while every silo was down runs after the restart.
/// </summary>
[GrainType("queue")]
public sealed partial class QueueGrain(
    [PersistentState("queue", JobStorage.Name)] IPersistentState<QueueSettings> stored,
    JobIndex index,
    JobRetention retention,
    IClusterMembershipService membership,
    IOptions<JobEngineOptions> options,
    TimeProvider clock,
    ILogger<QueueGrain> logger) : Grain, IQueueGrain, IRemindable
{
    private const string SweepReminder = "sweep";
    private const int WakeParallelism = 64;

    private readonly ObserverManager<IQueueObserver> _observers = new(TimeSpan.FromMinutes(3), logger);
    private readonly JobEngineOptions _options = options.Value;
    private Task<int>? _sweep;
    private Task? _retention;

    private string Type => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await this.RegisterOrUpdateReminder(SweepReminder, _options.SweepPeriod, _options.SweepPeriod, cancellationToken);

        // Sweep at once too: after a full restart, jobs that fell due while the cluster was down should not wait
        // for the reminder's first tick.
        this.RegisterGrainTimer(() => SweepAsync(), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    public Task<QueueSettings> GetSettingsAsync() => Task.FromResult(stored.State);

    public async Task<QueueSettings> UpdateSettingsAsync(QueueSettings settings)
    {
        stored.State = settings with { Version = stored.State.Version + 1 };
        await stored.WriteStateAsync();
        LogSettingsChanged(Type, stored.State.Paused, stored.State.Concurrency, stored.State.Version);
        await _observers.Notify(observer => observer.SettingsChangedAsync(Type, stored.State));
        return stored.State;
    }

    public Task<QueueSettings> SetPausedAsync(bool paused) =>
        stored.State.Paused == paused ? Task.FromResult(stored.State) : UpdateSettingsAsync(stored.State with { Paused = paused });

    public Task<QueueSettings> SubscribeAsync(IQueueObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.FromResult(stored.State);
    }

    public Task<int> SweepAsync()
    {
        // One sweep at a time; callers arriving meanwhile share the running one.
        if (_sweep is null || _sweep.IsCompleted)
        {
            _sweep = SweepOnceAsync();
        }

        return _sweep;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SweepReminder)
        {
            return Task.CompletedTask;
        }

        StartRetention();
        return SweepAsync();
    }

    /// <summary>
    /// Deletes finished jobs past the queue's retention, in the background: a long pass must not hold up the
    /// reminder or settings changes. One pass at a time; a failed pass is logged and the next tick tries again.
    /// </summary>
    private void StartRetention()
    {
        if (_retention is null || _retention.IsCompleted)
        {
            _retention = RetainAsync(stored.State);
        }
    }

    private async Task RetainAsync(QueueSettings settings)
    {
        try
        {
            await retention.RunAsync(Type, settings);
        }
        catch (Exception exception)
        {
            LogRetentionFailed(exception, Type);
        }
    }

    private async Task<int> SweepOnceAsync()
    {
        var live = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status != SiloStatus.Dead && member.Status != SiloStatus.None)
            .Select(member => member.SiloAddress.ToParsableString())
            .ToArray();
        var horizon = clock.GetUtcNow() + _options.HoldWindow;
        var ids = await index.FindToWakeAsync(Type, horizon, live, _options.SweepBatch);

        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = WakeParallelism, TaskScheduler = TaskScheduler.Current },
            async (id, _) => await GrainFactory.GetGrain<IJobGrain>(id).WakeAsync());

        if (ids.Count > 0)
        {
            LogSwept(Type, ids.Count);
        }

        return ids.Count;
    }
}
