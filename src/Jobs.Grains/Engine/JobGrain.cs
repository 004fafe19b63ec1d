using System.Text.Json;
using Jobs.Handlers;
using Jobs.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Jobs.Engine;

/// <summary>
/// One job. The grain holds the job's state and retry policy, writes every transition to the ADO.NET grain storage
/// (whose trigger keeps the job index in step), and runs attempts through its type's handler.
/// </summary>
/// <remarks>
/// Commands arrive as grain calls, which Orleans runs one at a time; attempts, slot grants and timers continue in
/// the background on the same activation. Everything that changes state takes <see cref="_gate"/>, so a background
/// continuation never interleaves with a command between two of its awaits.
/// A job whose persisted status is active when it is loaded lost its attempt with the activation that ran it
/// (its silo died): loading records that attempt as lost and applies the retry policy.
/// </remarks>
[GrainType("job")]
public sealed partial class JobGrain(
    [FromKeyedServices(JobStorage.Name)] IGrainStorage storage,
    JobHandlerRegistry handlers,
    QueueWorkers workers,
    JobMetrics metrics,
    ILocalSiloDetails siloDetails,
    IOptions<JobEngineOptions> options,
    TimeProvider clock,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private readonly GrainState<JobState> _grainState = new(new JobState());
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly JobEngineOptions _options = options.Value;
    private readonly string _silo = siloDetails.SiloAddress.ToParsableString();
    private bool _loaded;

    private JobState State => _grainState.State!;

    public async Task<JobCreateResult> CreateAsync(JobSpec spec, bool freshId)
    {
        using var _ = await EnterAsync(skipRead: freshId);
        if (State.Exists)
        {
            return new JobCreateResult(Snapshot(), Existed: true);
        }

        var errors = ValidateSpec(spec, out var handler, out var payload);
        if (errors.Count > 0)
        {
            return new JobCreateResult(null, errors);
        }

        var references = await handler.ValidateReferencesAsync(payload, spec.Tenant, CancellationToken.None);
        if (!references.IsValid)
        {
            return new JobCreateResult(null, new Dictionary<string, string[]>(references.ToDictionary()));
        }

        var settings = await workers.GetSettingsAsync(spec.Type);
        InitializeState(spec, handler, payload, settings);

        // A job due now that finds a free slot on this silo is stored straight away as active: one write instead of
        // two, and no hop through the queue.
        var slot = State.Status == JobStatus.Wait ? workers.TryAcquire(State.Type) : null;
        if (slot is not null)
        {
            BeginAttempt();
        }

        try
        {
            await WriteStateAsync();
        }
        catch (InconsistentStateException) when (freshId)
        {
            // Another caller created a job under this id first: it's theirs; report it as existing.
            slot?.Dispose();
            _loaded = false;
            await LoadAsync(skipRead: false);
            return new JobCreateResult(Snapshot(), Existed: true);
        }
        catch
        {
            // Not stored (or not known to be): forget the job, so a retried create neither sees it as existing nor
            // trusts a version the database may not have.
            slot?.Dispose();
            _grainState.State = new JobState();
            _grainState.ETag = null;
            _loaded = false;
            throw;
        }

        LogCreated(State.Id, State.Type, State.Tenant, State.Status.ToId(), State.DueAt);
        if (slot is not null)
        {
            LaunchAttempt(slot, handler);
        }
        else
        {
            await ScheduleAsync();
        }

        return new JobCreateResult(Snapshot());
    }

    public async Task<JobSnapshot?> GetAsync()
    {
        using var _ = await EnterAsync();
        return State.Exists ? Snapshot() : null;
    }

    public async Task<JobCommandResult> CancelAsync()
    {
        using var _ = await EnterAsync();
        if (!State.Exists)
        {
            return JobCommandResult.NotFound;
        }

        if (State.Status.IsFinal())
        {
            return JobCommandResult.Refused(Snapshot(), $"a {State.Status.ToId()} job cannot be cancelled");
        }

        StopWaiting();
        var attempt = _running;
        _running = null;
        attempt?.Cancel();
        var now = clock.GetUtcNow();
        if (attempt is not null)
        {
            CollectProgress(attempt);
            CloseAttempt(now, AttemptOutcome.Cancelled, "cancelled");
        }

        State.Status = JobStatus.Failed;
        State.FailedReason = "cancelled";
        State.FinishedAt = now;
        await WriteStateAsync();
        LogCancelled(State.Id, State.Type);
        return JobCommandResult.Done(Snapshot());
    }

    public async Task<JobCommandResult> PromoteAsync()
    {
        using var _ = await EnterAsync();
        if (!State.Exists)
        {
            return JobCommandResult.NotFound;
        }

        if (State.Status != JobStatus.Delayed)
        {
            return JobCommandResult.Refused(Snapshot(), $"only a delayed job can be promoted; this one is {State.Status.ToId()}");
        }

        State.DueAt = clock.GetUtcNow();
        State.Status = JobStatus.Wait;
        await WriteStateAsync();
        LogPromoted(State.Id, State.Type);
        await ScheduleAsync();
        return JobCommandResult.Done(Snapshot());
    }

    public async Task<JobCommandResult> RetryAsync()
    {
        using var _ = await EnterAsync();
        if (!State.Exists)
        {
            return JobCommandResult.NotFound;
        }

        if (State.Status != JobStatus.Failed)
        {
            return JobCommandResult.Refused(Snapshot(), $"only a failed job can be retried; this one is {State.Status.ToId()}");
        }

        State.Status = JobStatus.Wait;
        State.AttemptsMade = 0;
        State.DueAt = clock.GetUtcNow();
        State.FailedReason = null;
        State.FinishedAt = null;
        State.StartedAt = null;
        await WriteStateAsync();
        LogRetriedByHand(State.Id, State.Type);
        await ScheduleAsync();
        return JobCommandResult.Done(Snapshot());
    }

    public async Task<JobCommandResult> DeleteAsync()
    {
        using var _ = await EnterAsync();
        if (!State.Exists)
        {
            return JobCommandResult.NotFound;
        }

        if (State.Status == JobStatus.Active)
        {
            return JobCommandResult.Refused(Snapshot(), "an active job cannot be deleted; cancel it first");
        }

        StopWaiting();
        var (id, type) = (State.Id, State.Type);
        await storage.ClearStateAsync(JobStorage.StateName, this.GetGrainId(), _grainState);
        _grainState.State = new JobState();
        LogDeleted(id, type);
        DeactivateOnIdle();
        return new JobCommandResult(JobCommandStatus.Done, null);
    }

    public async Task WakeAsync()
    {
        using var _ = await EnterAsync();
        if (State.Exists && !State.Status.IsFinal())
        {
            await ScheduleAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        StopWaiting();
        if (_running is { } attempt)
        {
            await InterruptAsync(attempt, reason, cancellationToken);
        }

        StopProgressTimer();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async Task<Releaser> EnterAsync(bool skipRead = false)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_loaded)
            {
                await LoadAsync(skipRead);
            }
        }
        catch
        {
            _gate.Release();
            throw;
        }

        return new Releaser(_gate);
    }

    private async Task LoadAsync(bool skipRead)
    {
        if (!skipRead)
        {
            await storage.ReadStateAsync(JobStorage.StateName, this.GetGrainId(), _grainState);
            _grainState.State ??= new JobState();
        }

        _loaded = true;
        if (State.Exists && State.Status == JobStatus.Active)
        {
            await RecoverLostAttemptAsync();
        }
    }

    private Dictionary<string, string[]> ValidateSpec(JobSpec spec, out IJobHandler handler, out JsonElement payload)
    {
        payload = default;
        if (!handlers.TryGet(spec.Type, out handler))
        {
            return new() { ["type"] = [$"no handler for job type '{spec.Type}' runs in this cluster"] };
        }

        try
        {
            using var document = JsonDocument.Parse(spec.Payload);
            payload = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            return new() { ["payload"] = [$"not valid JSON: {exception.Message}"] };
        }

        var validation = handler.Validate(payload);
        return validation.IsValid ? [] : new Dictionary<string, string[]>(validation.ToDictionary());
    }

    private void InitializeState(JobSpec spec, IJobHandler handler, JsonElement payload, QueueSettings settings)
    {
        var now = clock.GetUtcNow();
        var due = spec.RunAt is { } runAt && runAt > now ? runAt : now;
        _grainState.State = new JobState
        {
            Id = this.GetPrimaryKey(),
            Type = spec.Type,
            Tenant = spec.Tenant,
            Payload = spec.Payload,
            Priority = spec.Priority,
            Attempts = spec.Attempts ?? settings.DefaultAttempts,
            Backoff = spec.Backoff ?? settings.DefaultBackoff,
            TimeoutMs = (long)(spec.Timeout ?? settings.DefaultTimeout).TotalMilliseconds,
            CreatedAt = now,
            DueAt = due,
            Status = due > now ? JobStatus.Delayed : JobStatus.Wait,
            IdempotencyKey = spec.IdempotencyKey,
            Summary = handler.Summarize(payload) is { } summary ? new(summary) : null,
            Silo = _silo,
        };
    }

    private async Task WriteStateAsync()
    {
        await WriteLogLinesAsync();
        State.Silo = _silo;
        try
        {
            await storage.WriteStateAsync(JobStorage.StateName, this.GetGrainId(), _grainState);
        }
        catch (InconsistentStateException exception)
        {
            // Someone else wrote this job since we read it: our copy is stale, so this activation must go.
            LogStaleState(exception, State.Id);
            _loaded = false;
            DeactivateOnIdle();
            throw;
        }
    }

    private JobSnapshot Snapshot() => _running is { } attempt
        ? State.ToSnapshot(attempt.Context.Progress, attempt.Context.PeekLogs())
        : State.ToSnapshot();

    private readonly struct Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
