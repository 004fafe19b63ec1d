using System.Security.Claims;
using Jobs.Api.Auth;
using Jobs.Api.Http;
using Jobs.JobTypes.ScriptForge;

namespace Jobs.Api.Endpoints;

/// <summary>
/// Tenants' ScriptForge scripts: stored, versioned (every version immutable), read back. A tenant key sees its own
/// tenant's scripts only, and another tenant's answer 404 like an unknown id; an operator key sees every tenant's.
/// </summary>
public static class ScriptEndpoints
{
    /// <summary>
    /// Largest script request accepted: room for the longest source (<see cref="ScriptStore.MaxSourceLength"/>
    /// characters) in UTF-8, with JSON escapes.
    /// </summary>
    public const long MaxScriptBytes = 6 * 1024 * 1024;

    public static IEndpointRouteBuilder MapScriptEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var scripts = endpoints.MapGroup("/api/scripts").WithTags("Scripts")
            .RequireAuthorization(JobsPolicies.Caller).WithCallerProblems();

        scripts.MapPost("/", CreateAsync).WithName("CreateScript")
            .WithSummary("Stores a new script at version 1.")
            .WithDescription(
                "The source is parsed with Jint before it is stored; a syntax error comes back as 400 on 'source' with "
                + "its line and column. A name the tenant already uses answers 409 naming that script: add versions to "
                + "it with POST /api/scripts/{id}/versions.")
            .Accepts<CreateScriptRequest>("application/json")
            .Produces<ScriptVersionResponse>(StatusCodes.Status201Created)
            .WithValidationProblems().WithProblems(StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge);
        scripts.MapGet("/", ListAsync).WithName("ListScripts")
            .WithSummary("Scripts in the order they were created, without their sources, in pages.")
            .WithDescription("Pass the returned nextCursor as cursor for the next page. A tenant key lists its own scripts.")
            .Produces<PageResponse<ScriptListItem>>().WithValidationProblems();
        scripts.MapGet("/{id:guid}", GetAsync).WithName("GetScript")
            .WithSummary("A script's latest version with its source, and the list of its versions.")
            .Produces<ScriptResponse>().WithProblems(StatusCodes.Status404NotFound);
        scripts.MapPost("/{id:guid}/versions", AddVersionAsync).WithName("AddScriptVersion")
            .WithSummary("Stores a new source as the script's next version; earlier versions stay as they were.")
            .WithDescription("Jobs and schedules naming no version run the latest one from their next attempt on.")
            .Accepts<AddScriptVersionRequest>("application/json")
            .Produces<ScriptVersionResponse>(StatusCodes.Status201Created)
            .WithValidationProblems()
            .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge);
        scripts.MapGet("/{id:guid}/versions/{version:int}", GetVersionAsync).WithName("GetScriptVersion")
            .WithSummary("One version of a script, with its source.")
            .Produces<ScriptVersionResponse>().WithProblems(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, ScriptStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateScriptRequest>(request, MaxScriptBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var tenant = ScriptAccess.OwnerFor(user, body!.Tenant, errors);
        foreach (var (field, messages) in ScriptStore.Validate(tenant ?? user.TenantOf(), body.Name, body.Source))
        {
            errors.TryAdd(field, messages);
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var creation = await store.CreateAsync(tenant!, body.Name!, body.Source!, cancellationToken);
        if (creation.Created is not { } created)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Name in use",
                detail: $"The tenant already has a script named '{body.Name}': {creation.ExistingId}. "
                    + $"Add a version with POST /api/scripts/{creation.ExistingId}/versions.");
        }

        return TypedResults.Created($"/api/scripts/{created.Id}", ScriptVersionResponse.From(created, withSource: false));
    }

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal user, ScriptStore store, string? tenant, string? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = ScriptAccess.PageQuery(user, tenant, limit, cursor, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await store.PageAsync(query.Tenant, query.After, query.Limit, cancellationToken);
        var items = page.Select(s => new ScriptListItem(s.Id, s.Tenant, s.Name, s.LatestVersion, s.CreatedAt, s.UpdatedAt));
        var next = ScriptAccess.NextCursor(page, query.Limit, s => s.Id);
        return TypedResults.Ok(new PageResponse<ScriptListItem>([.. items], next));
    }

    private static async Task<IResult> GetAsync(
        Guid id, ClaimsPrincipal user, ScriptStore store, CancellationToken cancellationToken)
    {
        var scope = ScriptAccess.ReadScope(user);
        var latest = await store.GetAsync(scope, id, version: null, cancellationToken);
        if (latest is null)
        {
            return NotFound(id);
        }

        var versions = await store.VersionsAsync(scope, id, cancellationToken);
        return TypedResults.Ok(new ScriptResponse(
            latest.Id, latest.Tenant, latest.Name, latest.Version, latest.Source, latest.CreatedAt,
            [.. versions.Select(v => new ScriptVersionItem(v.Version, v.Length, v.CreatedAt))]));
    }

    private static async Task<IResult> AddVersionAsync(
        Guid id, HttpRequest request, ClaimsPrincipal user, ScriptStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AddScriptVersionRequest>(request, MaxScriptBytes);
        if (problem is not null)
        {
            return problem;
        }

        var scope = ScriptAccess.ReadScope(user);
        if (await store.GetAsync(scope, id, version: null, cancellationToken) is null)
        {
            return NotFound(id);
        }

        if (ScriptStore.SourceProblem(body!.Source) is { } sourceProblem)
        {
            return Problems.Validation("source", sourceProblem);
        }

        var saved = await store.AddVersionAsync(scope, id, body.Source!, cancellationToken);
        if (saved is null)
        {
            return NotFound(id);
        }

        return TypedResults.Created(
            $"/api/scripts/{id}/versions/{saved.Version}", ScriptVersionResponse.From(saved, withSource: false));
    }

    private static async Task<IResult> GetVersionAsync(
        Guid id, int version, ClaimsPrincipal user, ScriptStore store, CancellationToken cancellationToken)
    {
        var script = version < 1 ? null : await store.GetAsync(ScriptAccess.ReadScope(user), id, version, cancellationToken);
        return script is null
            ? Problems.NotFound($"No script {id} with version {version}.")
            : TypedResults.Ok(ScriptVersionResponse.From(script, withSource: true));
    }

    private static IResult NotFound(Guid id) => Problems.NotFound($"No script {id}.");
}
