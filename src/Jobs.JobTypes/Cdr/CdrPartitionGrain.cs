using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Runs one re-rate partition on the thread pool, so the activation keeps answering polls while it works. The
/// durable truth is in PostgreSQL (<see cref="CdrRunStore"/>): a partition found finished there is not run again,
/// and an unfinished one starts over from a clean slate. When the activation goes (its silo stopping), the run is
/// cancelled; its uncommitted writes vanish with its transactions.
/// </summary>
[CdrPartitionPlacement]
internal sealed partial class CdrPartitionGrain(CdrPartitionRunner runner, ILocalSiloDetails silo, ILogger<CdrPartitionGrain> logger)
    : Grain, ICdrPartitionGrain
{
    private readonly ILogger _logger = logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _run;
    private long _done;
    private volatile CdrPartitionState? _ended;

    public Task<CdrPartitionState> StartAsync(CdrPartitionWork work)
    {
        if (_run is { IsCompleted: false } || _ended is { Status: CdrPartitionStatus.Finished })
        {
            return PollAsync();
        }

        _ended = null;
        Interlocked.Exchange(ref _done, 0);
        _run = Task.Run(() => RunAsync(work), CancellationToken.None);
        return Task.FromResult(State(CdrPartitionStatus.Running));
    }

    public Task<CdrPartitionState> PollAsync() => Task.FromResult(_ended ?? (_run is null
        ? State(CdrPartitionStatus.Idle)
        : State(CdrPartitionStatus.Running)));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_run is { } run)
        {
            await run.WaitAsync(cancellationToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CdrPartitionWork work)
    {
        var key = this.GetPrimaryKeyString();
        try
        {
            await runner.RunAsync(work, done => Interlocked.Exchange(ref _done, done), _stopping.Token);
            _ended = State(CdrPartitionStatus.Finished) with { Done = work.Part.Size };
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            _ended = State(CdrPartitionStatus.Failed) with { Error = "the partition's silo is stopping" };
        }
        catch (Exception exception)
        {
            LogPartitionFailed(exception, key);
            var permanent = exception is InvalidDataException or CdrInputException;
            _ended = State(CdrPartitionStatus.Failed) with { Error = exception.Message, Permanent = permanent };
        }
    }

    private CdrPartitionState State(CdrPartitionStatus status) => new()
    {
        Status = status,
        Done = Interlocked.Read(ref _done),
        Silo = silo.SiloAddress.ToParsableString(),
    };

    [LoggerMessage(EventId = 4340, Level = LogLevel.Debug, Message = "Re-rate partition {Key} failed")]
    private partial void LogPartitionFailed(Exception exception, string key);
}
