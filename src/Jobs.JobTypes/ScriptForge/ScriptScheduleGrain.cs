using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// Runs a stored script on a cron schedule: at each occurrence it creates a <c>scriptforge</c> job for the schedule's
/// tenant. The key is the schedule's id.
/// </summary>
/// <remarks>
/// <para>Two clocks. An Orleans reminder every minute (the shortest period reminders allow) survives restarts and
/// wakes the grain wherever it lives; it cannot fire at a second's precision and skips ticks that were missed. So
/// each wake also arms a one-shot grain timer for the exact next occurrence when it is less than
/// <see cref="TimerWindow"/> away. Occurrences further off are left to the reminder.</para>
/// <para>Once per occurrence: the job id is derived from the schedule id and the occurrence's instant
/// (<see cref="SchedulePlan.JobIdFor"/>) and created with <c>freshId: false</c>, so a second fire for the same
/// occurrence finds the job instead of making another. Missed occurrences: only the latest runs, once, when the
/// grain wakes (<see cref="SchedulePlan"/>). Daylight-saving gaps and repeats: see <see cref="CronSchedule"/>.</para>
/// <para>The script must belong to the schedule's tenant: <see cref="SetAsync"/> refuses a script (or version) the
/// tenant does not have, and each job checks again when it runs. Every set, enable, disable and delete is mirrored
/// in <see cref="ScriptScheduleIndex"/>, after the grain's own state, so schedules can be listed.</para>
/// </remarks>
[GrainType("script-schedule")]
public sealed partial class ScriptScheduleGrain(
    [PersistentState("schedule", "jobs")] IPersistentState<ScriptScheduleState> state,
    ScriptStore scripts,
    ScriptScheduleIndex index,
    TimeProvider clock,
    ILogger<ScriptScheduleGrain> logger) : Grain, IScriptScheduleGrain, IRemindable
{
    public const string ReminderName = "occurrences";

    /// <summary>How far ahead a timer is armed; beyond it the next reminder tick arms one.</summary>
    public static readonly TimeSpan TimerWindow = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private CronSchedule? _schedule;
    private IGrainTimer? _timer;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Spec is { } spec)
        {
            if (!CronSchedule.TryParse(spec.Cron, spec.TimeZone, out _schedule, out var error))
            {
                // Only possible if the zone database changed under a stored schedule.
                LogStoredScheduleInvalid(Id, error!.Message);
                return;
            }

            await IndexAsync(spec);
            await TickAsync();
        }
    }

    public async Task<ScriptScheduleResult> SetAsync(ScriptScheduleSpec spec)
    {
        var errors = Validate(spec, out var schedule);
        if (state.State.Spec is { } existing && existing.Tenant != spec.Tenant)
        {
            errors["tenant"] = ["the schedule belongs to another tenant"];
        }

        if (errors.Count == 0)
        {
            await CheckScriptAsync(spec, errors);
        }

        if (errors.Count > 0)
        {
            return new ScriptScheduleResult(null, errors);
        }

        var now = clock.GetUtcNow();
        state.State.Spec = spec;
        state.State.ArmedAt = now;
        state.State.UpdatedAt = now;
        _schedule = schedule;
        await state.WriteStateAsync();
        await index.UpsertAsync(Id, spec, CancellationToken.None);
        LogSet(Id, spec.Tenant, spec.Cron, spec.TimeZone, spec.Enabled);

        await ApplyEnabledAsync(spec.Enabled, now);
        return new ScriptScheduleResult(Snapshot(now));
    }

    public async Task<ScriptScheduleResult?> ReplaceAsync(ScriptScheduleSpec spec) =>
        state.State.Spec is null ? null : await SetAsync(spec);

    public Task<ScriptScheduleSnapshot?> GetAsync() =>
        Task.FromResult(state.State.Spec is null ? null : Snapshot(clock.GetUtcNow()));

    public async Task<ScriptScheduleSnapshot?> SetEnabledAsync(bool enabled)
    {
        if (state.State.Spec is not { } spec)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (spec.Enabled != enabled)
        {
            state.State.Spec = spec with { Enabled = enabled };
            state.State.UpdatedAt = now;
            if (enabled)
            {
                // Occurrences while it was paused are not missed ones: they are never run.
                state.State.ArmedAt = now;
            }

            await state.WriteStateAsync();
            await index.UpsertAsync(Id, state.State.Spec, CancellationToken.None);
            LogEnabled(Id, enabled);
        }

        await ApplyEnabledAsync(enabled, now);
        return Snapshot(now);
    }

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Spec is null)
        {
            return false;
        }

        StopTimer();
        await UnregisterReminderAsync();
        await state.ClearStateAsync();
        await index.DeleteAsync(Id, CancellationToken.None);
        state.State = new ScriptScheduleState();
        _schedule = null;
        LogDeleted(Id);
        DeactivateOnIdle();
        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Spec is not { Enabled: true })
        {
            // A reminder outliving its schedule (deleted or paused while the reminder service was away).
            await UnregisterReminderAsync();
            return;
        }

        await TickAsync();
    }

    private async Task ApplyEnabledAsync(bool enabled, DateTimeOffset now)
    {
        StopTimer();
        if (!enabled)
        {
            await UnregisterReminderAsync();
            return;
        }

        await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        if (_schedule is not null)
        {
            ArmTimer(_schedule.GetNextOccurrence(now), now);
        }
    }

    /// <summary>Creates the job of the latest due occurrence, if any, and arms the timer for the next one.</summary>
    private async Task TickAsync()
    {
        StopTimer();
        if (state.State.Spec is not { Enabled: true } spec || _schedule is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var plan = SchedulePlan.At(_schedule, state.State.ArmedAt, state.State.LastOccurrence, now);
        if (plan.Due is { } due)
        {
            try
            {
                await CreateJobAsync(spec, due, now);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next tick finds the occurrence still due (unless a later one supersedes it) and tries again;
                // the derived job id keeps a retry from duplicating a job that was created after all.
                LogCreateFailed(exception, Id, due);
            }
        }

        ArmTimer(plan.Next, now);
    }

    private async Task CreateJobAsync(ScriptScheduleSpec spec, DateTimeOffset occurrence, DateTimeOffset now)
    {
        var jobId = SchedulePlan.JobIdFor(Id, occurrence);
        var job = new JobSpec
        {
            Type = ScriptForgeHandler.TypeId,
            Tenant = spec.Tenant,
            Payload = BuildPayload(spec, occurrence),
        };
        var result = await GrainFactory.GetGrain<IJobGrain>(jobId).CreateAsync(job, freshId: false);
        if (result.IsValid)
        {
            LogJobCreated(Id, occurrence, jobId, result.Existed, now - occurrence);
        }
        else
        {
            // Refused for good (the payload is the schedule's, and it does not change until the schedule does):
            // count the occurrence as done rather than retry it every minute.
            var errors = string.Join("; ", result.Errors!.Select(pair => $"{pair.Key} {string.Join(", ", pair.Value)}"));
            LogJobRefused(Id, occurrence, errors);
        }

        state.State.LastOccurrence = occurrence;
        state.State.LastJobId = result.IsValid ? jobId : null;
        await state.WriteStateAsync();
    }

    private string BuildPayload(ScriptScheduleSpec spec, DateTimeOffset occurrence)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("scriptId", spec.ScriptId);
            if (spec.ScriptVersion is { } version)
            {
                writer.WriteNumber("version", version);
            }

            if (spec.Function is { } function)
            {
                writer.WriteString("function", function);
            }

            if (spec.ArgumentsJson is { } arguments)
            {
                writer.WritePropertyName("arguments");
                writer.WriteRawValue(arguments);
            }

            writer.WriteString("scheduleId", Id);
            writer.WriteString("scheduledFor", occurrence.UtcDateTime);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void ArmTimer(DateTimeOffset? next, DateTimeOffset now)
    {
        StopTimer();
        if (next is not { } at || at - now > TimerWindow)
        {
            return;
        }

        var wait = at > now ? at - now : TimeSpan.Zero;
        _timer = this.RegisterGrainTimer(OnTimerAsync, wait, Timeout.InfiniteTimeSpan);
    }

    private Task OnTimerAsync(CancellationToken cancellationToken) => TickAsync();

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private async Task UnregisterReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Re-records the schedule in the index on activation, so the index catches up with a write that failed after the
    /// state was saved, and with schedules set before the index existed. A failure here only delays that.
    /// </summary>
    private async Task IndexAsync(ScriptScheduleSpec spec)
    {
        try
        {
            await index.UpsertAsync(Id, spec, CancellationToken.None);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            LogIndexFailed(exception, Id);
        }
    }

    /// <summary>Refuses a script the schedule's tenant does not have, or a version the script does not have yet.</summary>
    private async Task CheckScriptAsync(ScriptScheduleSpec spec, Dictionary<string, string[]> errors)
    {
        var latest = await scripts.GetAsync(spec.Tenant, spec.ScriptId, version: null, CancellationToken.None);
        if (latest is null)
        {
            errors["scriptId"] = [$"tenant '{spec.Tenant}' has no script {spec.ScriptId}"];
        }
        else if (spec.ScriptVersion > latest.Version)
        {
            errors["scriptVersion"] = [$"script {spec.ScriptId} has versions 1 to {latest.Version}"];
        }
    }

    private ScriptScheduleSnapshot Snapshot(DateTimeOffset now) => new()
    {
        Id = Id,
        Spec = state.State.Spec!,
        NextOccurrence = state.State.Spec!.Enabled ? _schedule?.GetNextOccurrence(now) : null,
        LastOccurrence = state.State.LastOccurrence,
        LastJobId = state.State.LastJobId,
        UpdatedAt = state.State.UpdatedAt,
    };

    private static Dictionary<string, string[]> Validate(ScriptScheduleSpec spec, out CronSchedule? schedule)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(spec.Tenant) || spec.Tenant.Length > ScriptStore.MaxTenantLength)
        {
            errors["tenant"] = [$"must be a non-empty string of at most {ScriptStore.MaxTenantLength} characters"];
        }

        if (!CronSchedule.TryParse(spec.Cron, spec.TimeZone, out schedule, out var error))
        {
            errors[error!.Field] = [error.Problem];
        }

        if (spec.ScriptId == Guid.Empty)
        {
            errors["scriptId"] = ["must be the id of a stored script"];
        }

        if (spec.ScriptVersion is < 1)
        {
            errors["scriptVersion"] = ["must be a whole number from 1, or null for the latest version"];
        }

        if (spec.Function is not null && !ScriptForgePayload.IsFunctionName(spec.Function))
        {
            errors["function"] = ["must be the name of a global function: a JavaScript identifier"];
        }

        if (spec.ArgumentsJson is not null)
        {
            ValidateArguments(spec, errors);
        }

        return errors;
    }

    private static void ValidateArguments(ScriptScheduleSpec spec, Dictionary<string, string[]> errors)
    {
        if (spec.Function is null)
        {
            errors["arguments"] = ["are only used with 'function': name the function to pass them to"];
            return;
        }

        try
        {
            using var _ = JsonDocument.Parse(spec.ArgumentsJson!);
        }
        catch (JsonException exception)
        {
            errors["arguments"] = [$"must be JSON: {exception.Message}"];
        }
    }
}
