using Jobs.Handlers;

namespace Jobs.Engine;

public sealed partial class JobGrain
{
    private RunningAttempt? _running;
    private CancellationTokenSource? _slotWait;
    private IGrainTimer? _dueTimer;
    private IGrainTimer? _progressTimer;
    private DateTimeOffset _progressPersistedAt;
    private int _progressVersionSeen;

    /// <summary>
    /// Puts a delayed or waiting job on its way: a timer for a delayed job due soon, a slot request for a waiting
    /// one. A job due later than the hold window is left to its queue's reminder and the activation may go.
    /// </summary>
    private async Task ScheduleAsync()
    {
        StopDueTimer();
        if (State.Status == JobStatus.Delayed)
        {
            var wait = State.DueAt - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                if (wait <= _options.HoldWindow)
                {
                    _dueTimer = this.RegisterGrainTimer(OnDueAsync, wait, Timeout.InfiniteTimeSpan);
                }
                else
                {
                    DeactivateOnIdle();
                }

                return;
            }

            // Straight to active when a slot is free: one write instead of two, and a shorter start latency.
            if (workers.TryAcquire(State.Type) is { } slot)
            {
                await StartAttemptAsync(slot);
                return;
            }

            State.Status = JobStatus.Wait;
            await WriteStateAsync();
            LogDue(State.Id, State.Type);
        }

        if (State.Status == JobStatus.Wait)
        {
            RequestSlot();
        }
    }

    private async Task OnDueAsync(CancellationToken cancellationToken)
    {
        using var _ = await EnterAsync();
        if (State.Status == JobStatus.Delayed)
        {
            await ScheduleAsync();
        }
    }

    private void RequestSlot()
    {
        if (_slotWait is not null || _running is not null)
        {
            return;
        }

        _slotWait = new CancellationTokenSource();
        _ = InBackground(WaitForSlotAsync(_slotWait));
    }

    /// <summary>
    /// Watches work that continues after the call that started it. If it fails (the database is unreachable when an
    /// attempt's end is written, say), this activation's state can no longer be trusted: it is dropped, and the job
    /// carries on from its stored state when next loaded (the sweep wakes it; a stored active status counts as lost).
    /// </summary>
    private async Task InBackground(Task work)
    {
        try
        {
            await work;
        }
        catch (Exception exception)
        {
            LogBackgroundFailed(exception, State.Id);
            _loaded = false;
            _running = null;
            StopWaiting();
            StopProgressTimer();
            DeactivateOnIdle();
        }
    }

    private async Task WaitForSlotAsync(CancellationTokenSource wait)
    {
        IDisposable slot;
        try
        {
            slot = await workers.AcquireAsync(State.Type, State.Priority, wait.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var _ = await EnterAsync();
        if (_slotWait != wait || State.Status != JobStatus.Wait || _running is not null)
        {
            slot.Dispose();
            return;
        }

        _slotWait = null;
        wait.Dispose();
        await StartAttemptAsync(slot);
    }

    private async Task StartAttemptAsync(IDisposable slot)
    {
        if (!handlers.TryGet(State.Type, out var handler))
        {
            slot.Dispose();
            LogNoHandler(State.Id, State.Type);
            return;
        }

        BeginAttempt();
        try
        {
            await WriteStateAsync();
        }
        catch
        {
            slot.Dispose();
            throw;
        }

        LaunchAttempt(slot, handler);
    }

    /// <summary>Marks the next attempt as started in the state; the caller writes it before launching the attempt.</summary>
    private void BeginAttempt()
    {
        var now = clock.GetUtcNow();
        State.Status = JobStatus.Active;
        State.AttemptsMade++;
        State.StartedAt = now;
        State.FinishedAt = null;
        State.Progress = 0;
        State.ProgressMessage = null;
        State.History.Add(new AttemptRecord { Number = State.History.Count + 1, StartedAt = now, Silo = _silo });
    }

    /// <summary>Runs the attempt begun and stored as active, in the background, holding the worker slot.</summary>
    private void LaunchAttempt(IDisposable slot, IJobHandler handler)
    {
        var context = new JobContext(
            State.Id, State.Type, State.Tenant, State.AttemptsMade, State.Attempts, State.Payload, GrainFactory, clock,
            run: State.History.Count);
        var attempt = new RunningAttempt(State.AttemptsMade, slot, context, TimeSpan.FromMilliseconds(State.TimeoutMs), clock);
        _running = attempt;
        StartProgressTimer();
        var latency = State.StartedAt!.Value - State.DueAt;
        LogAttemptStarted(State.Id, State.Type, attempt.Number, State.Attempts, latency);
        metrics.AttemptStarted(State.Type, latency);
        attempt.Finished = InBackground(RunAttemptAsync(attempt, handler));
    }

    private async Task RunAttemptAsync(RunningAttempt attempt, IJobHandler handler)
    {
        var outcome = await ExecuteAsync(attempt, handler);
        attempt.ReleaseSlot();

        using var _ = await EnterAsync();
        if (_running != attempt)
        {
            // Cancelled or recovered meanwhile: this result belongs to an attempt already given up.
            LogLateOutcomeIgnored(State.Id, attempt.Number);
            attempt.Dispose();
            return;
        }

        if (attempt.Stopped == RunningAttempt.StopReason.Interrupted && outcome is not JobOutcome.Success)
        {
            // The stopping silo puts the job back to wait (see InterruptAsync); a success still counts.
            return;
        }

        _running = null;
        StopProgressTimer();
        CollectProgress(attempt);
        attempt.Dispose();
        await FinishAttemptAsync(attempt.Number, outcome);
    }

    /// <summary>Runs the handler on the thread pool and turns every way it can end into an outcome.</summary>
    private async Task<JobOutcome> ExecuteAsync(RunningAttempt attempt, IJobHandler handler)
    {
        var hardLimit = attempt.Timeout + _options.AbandonGrace;
        try
        {
            return await Task.Run(() => handler.ExecuteAsync(attempt.Context, attempt.Token), attempt.Token)
                .WaitAsync(hardLimit, clock);
        }
        catch (TimeoutException)
        {
            return JobOutcome.Failed($"timed out after {Durations.Describe(attempt.Timeout)}; the attempt did not stop and was abandoned");
        }
        catch (OperationCanceledException) when (attempt.Stopped == RunningAttempt.StopReason.None)
        {
            return JobOutcome.Failed($"timed out after {Durations.Describe(attempt.Timeout)}");
        }
        catch (OperationCanceledException)
        {
            return JobOutcome.Failed(attempt.Stopped == RunningAttempt.StopReason.Cancelled ? "cancelled" : "interrupted");
        }
        catch (Exception exception)
        {
            LogAttemptThrew(exception, State.Id, attempt.Number);
            return JobOutcome.Failed(exception.Message);
        }
    }

    private async Task FinishAttemptAsync(int number, JobOutcome outcome)
    {
        var now = clock.GetUtcNow();
        State.FinishedAt = now;
        switch (outcome)
        {
            case JobOutcome.Success success:
                CloseAttempt(now, AttemptOutcome.Completed, null);
                State.Status = JobStatus.Completed;
                State.Result = success.ResultJson;
                State.FailedReason = null;
                State.Progress = 100;
                await WriteStateAsync();
                LogCompleted(State.Id, State.Type, number, now - State.StartedAt!.Value);
                metrics.Completed(State.Type, now - State.StartedAt!.Value);
                LetGo();
                return;
            case JobOutcome.Failure failure:
                var timedOut = failure.Reason.StartsWith("timed out", StringComparison.Ordinal);
                CloseAttempt(now, timedOut ? AttemptOutcome.TimedOut : AttemptOutcome.Failed, failure.Reason);
                await FailAttemptAsync(failure, now);
                return;
        }
    }

    /// <summary>The retry policy: wait again (after the backoff, or when the handler asked) or fail for good.</summary>
    private async Task FailAttemptAsync(JobOutcome.Failure failure, DateTimeOffset now)
    {
        State.FailedReason = failure.Reason;
        if (failure.Permanent || State.AttemptsMade >= State.Attempts)
        {
            State.Status = JobStatus.Failed;
            await WriteStateAsync();
            LogFailed(State.Id, State.Type, State.AttemptsMade, State.Attempts, failure.Reason);
            metrics.Failed(State.Type);
            LetGo();
            return;
        }

        var delay = State.Backoff?.DelayAfter(State.AttemptsMade, Random.Shared.NextDouble()) ?? TimeSpan.Zero;
        State.DueAt = failure.NextAttemptAt is { } at && at > now ? at : now + delay;
        State.Status = State.DueAt > now ? JobStatus.Delayed : JobStatus.Wait;
        LogRetrying(State.Id, State.Type, State.AttemptsMade, State.Attempts, State.DueAt, failure.Reason);
        metrics.Retried(State.Type);

        // A retry due now with a free slot starts at once; the next attempt's write also records this failure.
        if (State.Status == JobStatus.Wait && workers.TryAcquire(State.Type) is { } slot)
        {
            await StartAttemptAsync(slot);
            return;
        }

        await WriteStateAsync();
        await ScheduleAsync();
    }

    /// <summary>The job was active when loaded, so the activation running its attempt is gone with its silo.</summary>
    private async Task RecoverLostAttemptAsync()
    {
        var now = clock.GetUtcNow();
        var silo = State.History.Count > 0 ? State.History[^1].Silo : State.Silo;
        var reason = $"worker lost: silo {silo} stopped while the attempt ran";
        CloseAttempt(now, AttemptOutcome.Lost, reason);
        State.FinishedAt = now;
        LogAttemptLost(State.Id, State.Type, State.AttemptsMade, silo);
        await FailAttemptAsync(new JobOutcome.Failure(reason, Permanent: false, NextAttemptAt: null), now);
    }

    /// <summary>
    /// The silo is stopping (or the activation is going) while an attempt runs: ask the handler to stop, give it a
    /// moment, and put the job back to wait. An interrupted attempt does not count against the job's attempts.
    /// </summary>
    private async Task InterruptAsync(RunningAttempt attempt, DeactivationReason reason, CancellationToken cancellationToken)
    {
        attempt.Interrupt();
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(_options.ShutdownGrace);
        await attempt.Finished.WaitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);

        using var _ = await EnterAsync();
        if (_running != attempt)
        {
            return;
        }

        _running = null;
        CollectProgress(attempt);
        var now = clock.GetUtcNow();
        CloseAttempt(now, AttemptOutcome.Interrupted, $"interrupted: {reason.Description}");
        State.AttemptsMade--;
        State.Status = JobStatus.Wait;
        State.DueAt = now;
        State.FinishedAt = now;
        await WriteStateAsync();
        LogInterrupted(State.Id, State.Type, attempt.Number, reason.Description);
    }

    /// <summary>
    /// A finished job rarely changes again, so its activation goes as soon as it is idle rather than holding memory
    /// until collection; reading it again costs one storage read.
    /// </summary>
    private void LetGo() => DeactivateOnIdle();

    private void CloseAttempt(DateTimeOffset now, AttemptOutcome outcome, string? error)
    {
        if (State.History.Count > 0 && State.History[^1].Outcome is null)
        {
            State.History[^1] = State.History[^1] with { FinishedAt = now, Outcome = outcome, Error = error };
        }
    }

    private void StopWaiting()
    {
        StopDueTimer();
        if (_slotWait is { } wait)
        {
            _slotWait = null;
            wait.Cancel();
            wait.Dispose();
        }
    }

    private void StopDueTimer()
    {
        _dueTimer?.Dispose();
        _dueTimer = null;
    }
}
