namespace Jobs.Engine;

public sealed partial class JobGrain
{
    /// <summary>
    /// While an attempt runs, a timer collects the handler's progress and log lines into the job's state and writes
    /// them now and then. The timer also keeps the activation alive: a running job must not be collected as idle.
    /// </summary>
    private void StartProgressTimer()
    {
        _progressPersistedAt = clock.GetUtcNow();
        _progressVersionSeen = 0;
        _progressTimer = this.RegisterGrainTimer(
            OnProgressTickAsync,
            new GrainTimerCreationOptions(_options.ProgressInterval, _options.ProgressInterval) { KeepAlive = true });
    }

    private void StopProgressTimer()
    {
        _progressTimer?.Dispose();
        _progressTimer = null;
    }

    private async Task OnProgressTickAsync(CancellationToken cancellationToken)
    {
        using var _ = await EnterAsync();
        if (_running is not { } attempt || !CollectProgress(attempt))
        {
            return;
        }

        await WriteLogLinesAsync();
        var now = clock.GetUtcNow();
        if (now - _progressPersistedAt >= _options.ProgressPersistInterval)
        {
            _progressPersistedAt = now;
            await WriteStateAsync();
        }
    }

    /// <summary>Moves reported progress and new log lines into the state. True when anything changed.</summary>
    private bool CollectProgress(RunningAttempt attempt)
    {
        var changed = false;
        var version = attempt.Context.ProgressVersion;
        if (version != _progressVersionSeen)
        {
            _progressVersionSeen = version;
            var progress = attempt.Context.Progress;
            State.Progress = progress.Percent;
            State.ProgressMessage = progress.Message;
            changed = true;
        }

        var lines = attempt.Context.DrainLogs();
        if (lines.Count > 0)
        {
            State.Logs.AddRange(lines);
            QueueLogLines(lines);
            var excess = State.Logs.Count - _options.MaxLogLines;
            if (excess > 0)
            {
                State.Logs.RemoveRange(0, excess);
                State.LogsDropped += excess;
            }

            changed = true;
        }

        return changed;
    }
}
