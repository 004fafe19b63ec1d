using Jobs.Registry;
using Microsoft.Extensions.Logging;

namespace Jobs.Engine;

/// <summary>
/// Watches the cluster's membership and, as soon as a silo is declared dead, wakes every unfinished job that silo
/// held. Loading such a job on a live silo records its lost attempt and applies the retry policy, so recovery
/// follows the membership service's verdict within seconds instead of waiting for the next reminder tick.
/// Every silo does this; waking a job twice is harmless.
/// </summary>
public sealed partial class DeadSiloRecovery(
    IClusterMembershipService membership,
    JobIndex index,
    IGrainFactory grainFactory,
    ILogger<DeadSiloRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _watch;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeadSiloRecovery), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _watch = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_watch is not null)
        {
            await _watch.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        // Silos already dead when we start are not ours to recover here: the queues' sweeps cover them.
        var dead = DeadSilos(membership.CurrentSnapshot);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                foreach (var silo in DeadSilos(snapshot).Where(dead.Add))
                {
                    await RecoverAsync(silo, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RecoverAsync(string silo, CancellationToken cancellationToken)
    {
        try
        {
            var ids = await index.FindUnfinishedOnSiloAsync(silo, cancellationToken);
            LogRecovering(silo, ids.Count);
            await Parallel.ForEachAsync(
                ids,
                new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
                async (id, _) => await grainFactory.GetGrain<IJobGrain>(id).WakeAsync());
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The queues' sweeps find these jobs too, within a reminder period.
            LogRecoveryFailed(exception, silo);
        }
    }

    private static HashSet<string> DeadSilos(ClusterMembershipSnapshot snapshot) =>
    [
        .. snapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Dead)
            .Select(member => member.SiloAddress.ToParsableString()),
    ];

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning,
        Message = "Silo {Silo} was declared dead; waking its {Count} unfinished jobs")]
    private partial void LogRecovering(string silo, int count);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error,
        Message = "Could not recover the jobs of dead silo {Silo}; queue sweeps will pick them up")]
    private partial void LogRecoveryFailed(Exception exception, string silo);
}
