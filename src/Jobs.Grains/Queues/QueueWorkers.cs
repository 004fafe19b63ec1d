using Microsoft.Extensions.Logging;

namespace Jobs.Queues;

/// <summary>
/// This silo's worker slots, one lane per job type. A job grain asks its lane for a slot before starting an attempt
/// and gives it back when the attempt ends; the lane enforces the queue's per-silo concurrency and pause, and hands
/// free slots to the waiting job with the highest priority (first come among equals). Settings arrive from each
/// queue's grain, which pushes changes to every silo; until a lane has them it grants nothing, so a paused queue
/// stays paused across a restart.
/// </summary>
public sealed partial class QueueWorkers : IQueueObserver, ILifecycleParticipant<ISiloLifecycle>
{
    // A queue grain that moves to another silo (its silo stopped or died) starts with no observers, so changes made
    // there reach no lane until the silos subscribe again. Each subscription answers with the current settings, which
    // bounds how stale a lane can be to this period; ten queues per silo every few seconds is a negligible load.
    private static readonly TimeSpan ResubscribePeriod = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, QueueLane> _lanes;
    private readonly IGrainFactory _grainFactory;
    private readonly ILogger<QueueWorkers> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _subscriptions;

    public QueueWorkers(IGrainFactory grainFactory, ILogger<QueueWorkers> logger)
    {
        _grainFactory = grainFactory;
        _logger = logger;
        _lanes = JobType.All.ToDictionary(type => type, type => new QueueLane(type), StringComparer.Ordinal);
    }

    /// <summary>Waits for a slot in <paramref name="type"/>'s lane. Dispose the lease to give the slot back.</summary>
    public ValueTask<IDisposable> AcquireAsync(string type, int priority, CancellationToken cancellationToken) =>
        Lane(type).AcquireAsync(priority, cancellationToken);

    /// <summary>Takes a free slot at once, or returns null when the job would have to wait for one.</summary>
    public IDisposable? TryAcquire(string type) => Lane(type).TryAcquire();

    /// <summary>The queue's settings as this silo knows them, fetched from the queue grain if not known yet.</summary>
    public async ValueTask<QueueSettings> GetSettingsAsync(string type)
    {
        var lane = Lane(type);
        if (lane.Settings is { } settings)
        {
            return settings;
        }

        settings = await _grainFactory.GetGrain<IQueueGrain>(type).GetSettingsAsync();
        lane.Apply(settings);
        return settings;
    }

    /// <summary>How many attempts of the type run on this silo now, and how many jobs wait here for a slot.</summary>
    public (int Active, int Waiting) Load(string type) => Lane(type).Load;

    public Task SettingsChangedAsync(string type, QueueSettings settings)
    {
        if (_lanes.TryGetValue(type, out var lane) && lane.Apply(settings))
        {
            LogSettingsApplied(type, settings.Paused, settings.Concurrency, settings.Version);
        }

        return Task.CompletedTask;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(QueueWorkers), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _subscriptions = Task.Run(() => SubscribeLoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_subscriptions is not null)
        {
            await _subscriptions.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Subscribes to every queue grain and renews the subscriptions, which expire if not renewed. Subscribing also
    /// activates each queue grain, whose activation sweeps for jobs that came due while the cluster was down.
    /// </summary>
    private async Task SubscribeLoopAsync(CancellationToken cancellationToken)
    {
        var self = _grainFactory.CreateObjectReference<IQueueObserver>(this);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.WhenAll(_lanes.Keys.Select(type => SubscribeAsync(type, self)));
                await Task.Delay(ResubscribePeriod, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _grainFactory.DeleteObjectReference<IQueueObserver>(self);
        }
    }

    private async Task SubscribeAsync(string type, IQueueObserver self)
    {
        try
        {
            var settings = await _grainFactory.GetGrain<IQueueGrain>(type).SubscribeAsync(self);
            await SettingsChangedAsync(type, settings);
        }
        catch (Exception exception) when (!_stopping.IsCancellationRequested)
        {
            LogSubscribeFailed(exception, type);
        }
    }

    private QueueLane Lane(string type) => _lanes.TryGetValue(type, out var lane)
        ? lane
        : throw new ArgumentException($"Unknown job type '{type}'.", nameof(type));
}
