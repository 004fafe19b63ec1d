using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Jobs.Api.Auth;
using Jobs.Api.Http;
using Jobs.Engine;
using Jobs.Logs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Endpoints;

public static class JobEndpoints
{
    /// <summary>Largest create request accepted, payload included.</summary>
    public const long MaxCreateBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var jobs = endpoints.MapGroup("/api/jobs").WithTags("Jobs")
            .RequireAuthorization(JobsPolicies.Caller).WithCallerProblems();

        jobs.MapPost("/", CreateAsync).WithName("CreateJob")
            .WithSummary("Creates a job, or returns the existing one for a repeated idempotency key.")
            .WithDescription(
                "The payload is checked by the job type's handler before anything is stored; its problems come back "
                + "as 400 with the payload field's path. A tenant key creates jobs for its own tenant; an operator key "
                + "may name one. Bulk jobs are created with POST /api/bulk.")
            .Accepts<CreateJobRequest>("application/json")
            .Produces<JobResponse>(StatusCodes.Status201Created).Produces<JobResponse>()
            .WithValidationProblems().WithProblems(StatusCodes.Status413PayloadTooLarge);
        jobs.MapGet("/{id:guid}", GetAsync).WithName("GetJob")
            .WithSummary("A job with its progress, result, latest log lines and the history of its attempts.")
            .WithProblems(StatusCodes.Status404NotFound);
        jobs.MapGet("/", ListAsync).WithName("ListJobs")
            .WithSummary("Jobs of one type, filtered by status, tenant and creation time, in pages, newest first or as sorted.")
            .WithDescription(
                "sort is created_desc (newest first, the default), created_asc (oldest first), or, with status=completed "
                + "or status=failed and no tenant, finished_desc or finished_asc (by finish time; no index serves a "
                + "tenant's jobs by finish time). Pass the returned nextCursor as cursor, with the same sort, for the "
                + "next page. A tenant key lists its own jobs.")
            .WithQueryValues("sort", JobSorts.All.Select(sort => sort.ToId()))
            .Produces<JobListResponse>().WithValidationProblems();
        jobs.MapGet("/{id:guid}/logs", LogsAsync).WithName("GetJobLogs")
            .WithSummary("Every line the job's handler logged, oldest first, in pages.")
            .WithDescription("Lines appear while the job runs (about once a second). Pass next as after for the next page.")
            .Produces<JobLogPageResponse>().WithValidationProblems().WithProblems(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id:guid}/retry", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                CommandAsync(id, user, grains, job => job.RetryAsync()))
            .WithName("RetryJob").WithSummary("Makes a failed job wait again with a fresh set of attempts.")
            .Produces<JobResponse>().WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        jobs.MapPost("/{id:guid}/cancel", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                CommandAsync(id, user, grains, job => job.CancelAsync()))
            .WithName("CancelJob").WithSummary("Fails a waiting, delayed or active job with reason \"cancelled\".")
            .Produces<JobResponse>().WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        jobs.MapPost("/{id:guid}/promote", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                CommandAsync(id, user, grains, job => job.PromoteAsync()))
            .WithName("PromoteJob").WithSummary("Makes a delayed job due now.")
            .Produces<JobResponse>().WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        jobs.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteJob")
            .WithSummary("Deletes a job that is not active, with its logs.")
            .Produces(StatusCodes.Status204NoContent)
            .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateJobRequest>(request, MaxCreateBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Type == JobType.Bulk)
        {
            return Problems.Validation("type", "bulk jobs are created with POST /api/bulk");
        }

        var tenant = user.TenantOf();
        if (body.Tenant is { } requested && requested != tenant)
        {
            if (!user.IsOperator())
            {
                return Problems.Validation("tenant", "a tenant key creates jobs for its own tenant only");
            }

            if (!JobRequestValidator.IsValidTenant(requested))
            {
                return Problems.Validation("tenant", "must be 1 to 100 letters, digits, '.', '_' or '-'");
            }

            tenant = requested;
        }

        var spec = JobRequestValidator.ToSpec(body, tenant, clock.GetUtcNow(), out var errors);
        if (spec is null)
        {
            return Problems.Validation(errors);
        }

        var (id, fresh) = spec.IdempotencyKey is { } key ? (JobIds.FromIdempotencyKey(tenant, key), false) : (JobIds.New(), true);
        var created = await grains.GetGrain<IJobGrain>(id).CreateAsync(spec, fresh);
        if (!created.IsValid)
        {
            return Problems.Validation(created.Errors!.ToDictionary());
        }

        var response = JobResponse.From(created.Job!);
        return created.Existed
            ? TypedResults.Ok(response)
            : TypedResults.Created($"/api/jobs/{id}", response);
    }

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var job = await grains.GetGrain<IJobGrain>(id).GetAsync();
        return job is not null && CanSee(user, job.Tenant)
            ? TypedResults.Ok(JobResponse.From(job))
            : NotFound(id);
    }

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal user, IGrainFactory grains, string? type, string? status, string? tenant, string? from, string? to,
        string? limit, string? cursor,
        [Description("created_desc (default), created_asc; for status completed or failed without tenant also finished_desc, "
            + "finished_asc")]
        string? sort)
    {
        var errors = new Dictionary<string, string[]>();
        var query = ListQuery.Parse(type, status, from, to, limit, cursor, sort, errors);
        if (!user.IsOperator())
        {
            if (tenant is not null && tenant != user.TenantOf())
            {
                errors["tenant"] = ["a tenant key lists its own tenant's jobs only"];
            }

            tenant = user.TenantOf();
        }

        if (query is { Sort: var order } && order.ByFinishTime() && tenant is not null)
        {
            errors["sort"] = [$"{order.ToId()} is not available for one tenant's jobs: no index serves it; "
                + "use created_desc or created_asc"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await grains.GetGrain<IJobRegistryGrain>(type!).ListAsync(query! with { Tenant = tenant });
        return TypedResults.Ok(new JobListResponse([.. page.Items.Select(JobListItemResponse.From)], page.NextCursor));
    }

    private static async Task<IResult> LogsAsync(
        Guid id, ClaimsPrincipal user, IGrainFactory grains, JobLogStore logs, string? after, string? limit,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        long afterId = 0;
        if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out afterId)))
        {
            errors["after"] = ["must be the next value of a previous page: a whole number"];
        }

        var size = 200;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000))
        {
            errors["limit"] = ["must be a whole number from 1 to 1000"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var job = await grains.GetGrain<IJobGrain>(id).GetAsync();
        if (job is null || !CanSee(user, job.Tenant))
        {
            return NotFound(id);
        }

        var page = await logs.PageAsync(id, afterId, size, cancellationToken);
        return TypedResults.Ok(new JobLogPageResponse(
            [.. page.Lines.Select(line => new JobLogEntryResponse(line.Id, line.At, line.Attempt, line.Level, line.Message))],
            page.Next));
    }

    private static async Task<IResult> CommandAsync(
        Guid id, ClaimsPrincipal user, IGrainFactory grains, Func<IJobGrain, Task<JobCommandResult>> command)
    {
        var job = grains.GetGrain<IJobGrain>(id);
        if (!user.IsOperator() && await job.GetAsync() is { } current && !CanSee(user, current.Tenant))
        {
            return NotFound(id);
        }

        var result = await command(job);
        return result.Status switch
        {
            JobCommandStatus.Done => TypedResults.Ok(JobResponse.From(result.Job!)),
            JobCommandStatus.Refused => Problems.Conflict(result.Reason!),
            _ => NotFound(id),
        };
    }

    private static async Task<IResult> DeleteAsync(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var job = grains.GetGrain<IJobGrain>(id);
        if (await job.GetAsync() is not { } current || !CanSee(user, current.Tenant))
        {
            return NotFound(id);
        }

        var result = await job.DeleteAsync();
        return result.Status switch
        {
            JobCommandStatus.Done => TypedResults.NoContent(),
            JobCommandStatus.Refused => Problems.Conflict(result.Reason!),
            _ => NotFound(id),
        };
    }

    private static bool CanSee(ClaimsPrincipal user, string tenant) => user.IsOperator() || user.TenantOf() == tenant;

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No job {id}.");

}
