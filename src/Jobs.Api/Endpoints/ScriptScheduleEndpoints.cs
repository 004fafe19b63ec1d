using System.Security.Claims;
using Jobs.Api.Auth;
using Jobs.Api.Http;
using Jobs.JobTypes.ScriptForge;

namespace Jobs.Api.Endpoints;

/// <summary>
/// Schedules that run a tenant's stored script on a cron expression (<see cref="IScriptScheduleGrain"/>). Tenancy as
/// for scripts: another tenant's schedule answers 404 like an unknown id; operators see every tenant's.
/// </summary>
public static class ScriptScheduleEndpoints
{
    private const long MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapScriptScheduleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var schedules = endpoints.MapGroup("/api/scripts/schedules").WithTags("Script schedules")
            .RequireAuthorization(JobsPolicies.Caller).WithCallerProblems();

        schedules.MapPost("/", CreateAsync).WithName("CreateScriptSchedule")
            .WithSummary("Schedules a stored script on a cron expression in a time zone; returns the next occurrences.")
            .WithDescription(
                "Each occurrence creates one scriptforge job for the schedule's tenant. The cron expression has six fields "
                + "(second first) or five (second 0); the time zone is an IANA id. In a daylight-saving gap an occurrence "
                + "runs at the end of the gap; in a repeated hour an expression with '*', a range or a step in its second, "
                + "minute or hour field runs in both passes, a fixed one in the first only. Errors name the field: "
                + "cron, timeZone, scriptId (a script the tenant does not have), version, function or arguments.")
            .Accepts<ScheduleRequest>("application/json")
            .Produces<ScheduleResponse>(StatusCodes.Status201Created)
            .WithValidationProblems().WithProblems(StatusCodes.Status413PayloadTooLarge);
        schedules.MapGet("/", ListAsync).WithName("ListScriptSchedules")
            .WithSummary("Schedules in the order they were created, in pages.")
            .WithDescription("Pass the returned nextCursor as cursor for the next page. A tenant key lists its own schedules.")
            .Produces<PageResponse<ScheduleResponse>>().WithValidationProblems();
        schedules.MapGet("/{id:guid}", GetAsync).WithName("GetScriptSchedule")
            .WithSummary("A schedule with its next occurrences and the job of its latest one.")
            .Produces<ScheduleResponse>().WithProblems(StatusCodes.Status404NotFound);
        schedules.MapPut("/{id:guid}", ReplaceAsync).WithName("ReplaceScriptSchedule")
            .WithSummary("Replaces a schedule's script, function, arguments, cron expression and time zone.")
            .WithDescription("Occurrences before the change never run. Jobs it created already stay as they are.")
            .Accepts<ScheduleRequest>("application/json")
            .Produces<ScheduleResponse>().WithValidationProblems()
            .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge);
        schedules.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteScriptSchedule")
            .WithSummary("Deletes a schedule; the jobs it created stay.")
            .Produces(StatusCodes.Status204NoContent).WithProblems(StatusCodes.Status404NotFound);
        schedules.MapPost("/{id:guid}/enable", (Guid id, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock) =>
                SetEnabledAsync(id, true, user, grains, clock))
            .WithName("EnableScriptSchedule").WithSummary("Resumes a schedule from its next occurrence on.")
            .Produces<ScheduleResponse>().WithProblems(StatusCodes.Status404NotFound);
        schedules.MapPost("/{id:guid}/disable", (Guid id, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock) =>
                SetEnabledAsync(id, false, user, grains, clock))
            .WithName("DisableScriptSchedule").WithSummary("Pauses a schedule: occurrences while it is paused never run.")
            .Produces<ScheduleResponse>().WithProblems(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        var (body, problem) = await JsonBody.ReadAsync<ScheduleRequest>(request, MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var tenant = ScriptAccess.OwnerFor(user, body!.Tenant, errors);
        var spec = ToSpec(body, tenant, enabled: body.Enabled ?? true, errors);
        if (spec is null)
        {
            return Problems.Validation(errors);
        }

        var id = Guid.CreateVersion7();
        var result = await grains.GetGrain<IScriptScheduleGrain>(id).SetAsync(spec);
        return result.IsValid
            ? TypedResults.Created($"/api/scripts/schedules/{id}", ScheduleResponse.From(result.Schedule!, clock.GetUtcNow()))
            : Refused(result);
    }

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal user, IGrainFactory grains, ScriptScheduleIndex index, TimeProvider clock, string? tenant,
        string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = ScriptAccess.PageQuery(user, tenant, limit, cursor, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var entries = await index.PageAsync(query.Tenant, query.After, query.Limit, cancellationToken);
        var snapshots = await Task.WhenAll(entries.Select(e => grains.GetGrain<IScriptScheduleGrain>(e.Id).GetAsync()));
        var now = clock.GetUtcNow();

        // The grain is the truth: a row whose schedule is gone (its delete's index write failed) is not listed.
        var items = snapshots.Where(s => s is not null && ScriptAccess.CanSee(user, s.Spec.Tenant))
            .Select(s => ScheduleResponse.From(s!, now));
        return TypedResults.Ok(new PageResponse<ScheduleResponse>(
            [.. items], ScriptAccess.NextCursor(entries, query.Limit, e => e.Id)));
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        var schedule = await FindAsync(id, user, grains);
        return schedule is null ? NotFound(id) : TypedResults.Ok(ScheduleResponse.From(schedule, clock.GetUtcNow()));
    }

    private static async Task<IResult> ReplaceAsync(
        Guid id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        var (body, problem) = await JsonBody.ReadAsync<ScheduleRequest>(request, MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (await FindAsync(id, user, grains) is not { } current)
        {
            return NotFound(id);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body!.Tenant is { } tenant && tenant != current.Spec.Tenant)
        {
            errors["tenant"] = ["a schedule keeps its tenant: delete it and create one for the other tenant"];
        }

        var spec = ToSpec(body, current.Spec.Tenant, body.Enabled ?? current.Spec.Enabled, errors);
        if (spec is null)
        {
            return Problems.Validation(errors);
        }

        var result = await grains.GetGrain<IScriptScheduleGrain>(id).ReplaceAsync(spec);
        if (result is null)
        {
            return NotFound(id);
        }

        return result.IsValid ? TypedResults.Ok(ScheduleResponse.From(result.Schedule!, clock.GetUtcNow())) : Refused(result);
    }

    private static async Task<IResult> DeleteAsync(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await FindAsync(id, user, grains) is null)
        {
            return NotFound(id);
        }

        return await grains.GetGrain<IScriptScheduleGrain>(id).DeleteAsync() ? TypedResults.NoContent() : NotFound(id);
    }

    private static async Task<IResult> SetEnabledAsync(
        Guid id, bool enabled, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        if (await FindAsync(id, user, grains) is null)
        {
            return NotFound(id);
        }

        var schedule = await grains.GetGrain<IScriptScheduleGrain>(id).SetEnabledAsync(enabled);
        return schedule is null ? NotFound(id) : TypedResults.Ok(ScheduleResponse.From(schedule, clock.GetUtcNow()));
    }

    /// <summary>The schedule, if it exists and the caller may see it.</summary>
    private static async Task<ScriptScheduleSnapshot?> FindAsync(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var schedule = await grains.GetGrain<IScriptScheduleGrain>(id).GetAsync();
        return schedule is not null && ScriptAccess.CanSee(user, schedule.Spec.Tenant) ? schedule : null;
    }

    /// <summary>The grain's spec from a request; null with <paramref name="errors"/> filled when it is incomplete.</summary>
    private static ScriptScheduleSpec? ToSpec(
        ScheduleRequest body, string? tenant, bool enabled, Dictionary<string, string[]> errors)
    {
        if (body.ScriptId is null)
        {
            errors["scriptId"] = ["is required: the id of a stored script of the tenant"];
        }

        if (body.Cron is null)
        {
            errors["cron"] = ["is required: a cron expression, for example '0 */5 * * * *' (every five minutes)"];
        }

        if (errors.Count > 0 || tenant is null)
        {
            return null;
        }

        return new ScriptScheduleSpec
        {
            Tenant = tenant,
            ScriptId = body.ScriptId!.Value,
            ScriptVersion = body.Version,
            Function = body.Function,
            ArgumentsJson = body.Arguments is { ValueKind: not System.Text.Json.JsonValueKind.Null } arguments
                ? arguments.GetRawText()
                : null,
            Cron = body.Cron!,
            TimeZone = body.TimeZone ?? "UTC",
            Enabled = enabled,
        };
    }

    /// <summary>The grain's refusal, with its field names as the API spells them.</summary>
    private static IResult Refused(ScriptScheduleResult result) => Problems.Validation(
        result.Errors!.ToDictionary(pair => pair.Key == "scriptVersion" ? "version" : pair.Key, pair => pair.Value));

    private static IResult NotFound(Guid id) => Problems.NotFound($"No schedule {id}.");
}
