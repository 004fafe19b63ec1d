using Jobs.Api.Auth;
using Jobs.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Endpoints;

public static class KeyEndpoints
{
    private const long MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var keys = endpoints.MapGroup("/api/keys").WithTags("Keys")
            .RequireAuthorization(JobsPolicies.Operator).WithOperatorProblems();

        keys.MapPost("/", CreateAsync).WithName("CreateKey")
            .WithSummary("Creates an API key for a tenant, in the operator or tenant role.")
            .WithDescription(
                "The key is in the response once and never again: only its hash is stored. A tenant key sees and acts "
                + "on its own tenant's jobs and files only; an operator key sees every tenant and changes queues.")
            .Accepts<CreateKeyRequest>("application/json")
            .Produces<CreatedKeyResponse>(StatusCodes.Status201Created)
            .WithValidationProblems().WithProblems(StatusCodes.Status413PayloadTooLarge);
        keys.MapGet("/", ListAsync).WithName("ListKeys")
            .WithSummary("Every API key, newest first, revoked ones included; never the secret, only its first characters.")
            .Produces<IReadOnlyList<KeyResponse>>().WithValidationProblems();
        keys.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeKey")
            .WithSummary("Revokes an API key: requests with it are refused with 401 within moments on every API process.")
            .Produces(StatusCodes.Status204NoContent).WithProblems(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ApiKeyStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateKeyRequest>(request, MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body!.Tenant is not { } tenant || !JobRequestValidator.IsValidTenant(tenant))
        {
            errors["tenant"] = ["is required: 1 to 100 letters, digits, '.', '_' or '-'"];
        }

        if (body.Role is not (JobsRoles.Operator or JobsRoles.Tenant))
        {
            errors["role"] = ["is required: operator or tenant"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (info, key) = await store.CreateAsync(body.Tenant!, body.Role!, cancellationToken);
        return TypedResults.Created($"/api/keys/{info.Id}", new CreatedKeyResponse(info.Id, key, info.Tenant, info.Role, info.CreatedAt));
    }

    private static async Task<IResult> ListAsync(string? tenant, ApiKeyStore store, CancellationToken cancellationToken)
    {
        if (tenant is not null && !JobRequestValidator.IsValidTenant(tenant))
        {
            return Problems.Validation("tenant", "must be 1 to 100 letters, digits, '.', '_' or '-'");
        }

        var keys = await store.ListAsync(tenant, cancellationToken);
        return TypedResults.Ok(keys.Select(KeyResponse.From).ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid id, ApiKeyStore store, ApiKeyResolver resolver, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeAsync(id, cancellationToken);
        if (revoked is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No key {id}.");
        }

        resolver.Forget(id);
        return TypedResults.NoContent();
    }
}

/// <summary>The body of <c>POST /api/keys</c>.</summary>
public sealed record CreateKeyRequest
{
    /// <summary>The tenant the key acts for: 1 to 100 letters, digits, '.', '_' or '-'.</summary>
    public string? Tenant { get; init; }

    /// <summary><c>operator</c> (every tenant, queues, dashboards) or <c>tenant</c> (its own jobs and files).</summary>
    public string? Role { get; init; }
}

/// <summary>A new key. <see cref="Key"/> is shown this once: send it as the X-Api-Key header.</summary>
public sealed record CreatedKeyResponse(Guid Id, string Key, string Tenant, string Role, DateTimeOffset CreatedAt);

/// <summary>A key as listings show it: its first characters only.</summary>
public sealed record KeyResponse(
    Guid Id, string Tenant, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyResponse From(ApiKeyInfo info) =>
        new(info.Id, info.Tenant, info.Role, info.Prefix, info.CreatedAt, info.RevokedAt);
}
