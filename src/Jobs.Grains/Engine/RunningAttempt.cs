using Jobs.Handlers;

namespace Jobs.Engine;

/// <summary>An attempt running in this activation: its slot, its cancellation, and why it was stopped, if it was.</summary>
internal sealed class RunningAttempt(int number, IDisposable slot, JobContext context, TimeSpan timeout, TimeProvider clock)
    : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new(timeout, clock);

    public int Number { get; } = number;

    public JobContext Context { get; } = context;

    public TimeSpan Timeout { get; } = timeout;

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Completes when the handler has returned or thrown, whatever the grain did with the outcome.</summary>
    public Task Finished { get; set; } = Task.CompletedTask;

    public StopReason Stopped { get; private set; }

    public void Cancel() => Stop(StopReason.Cancelled);

    public void Interrupt() => Stop(StopReason.Interrupted);

    /// <summary>Gives the slot back. Safe to call more than once.</summary>
    public void ReleaseSlot() => slot.Dispose();

    public void Dispose()
    {
        ReleaseSlot();
        _cancellation.Dispose();
    }

    private void Stop(StopReason reason)
    {
        if (Stopped == StopReason.None)
        {
            Stopped = reason;
        }

        _cancellation.Cancel();
    }

    public enum StopReason
    {
        None,
        Cancelled,
        Interrupted,
    }
}
