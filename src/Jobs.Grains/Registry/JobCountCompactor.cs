using Microsoft.Extensions.Logging;

namespace Jobs.Registry;

/// <summary>
/// Folds the job count deltas (infra/schema/030-job-count-deltas.sql) into the counts every couple of seconds, so the
/// deltas table stays small and counting stays cheap. Every silo runs one; two compactions at once are harmless.
/// </summary>
public sealed partial class JobCountCompactor(JobIndex index, ILogger<JobCountCompactor> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(JobCountCompactor), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await index.CompactCountsAsync(cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    LogCompactionFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Could not fold job count deltas; counts stay exact and the next round retries")]
    private partial void LogCompactionFailed(Exception exception);
}
