using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Auth;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header, through <see cref="IApiKeyResolver"/>. Keys are never
/// logged, nor their hashes.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IApiKeyResolver resolver) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var caller = await resolver.ResolveAsync(values.ToString(), Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(JobsClaims.Tenant, caller.Tenant), new Claim(ClaimTypes.Role, caller.Role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => WriteUnauthorizedAsync(Context);

    /// <summary>401 as ProblemDetails, saying whether the request carried no key or one that is not accepted.</summary>
    public static Task WriteUnauthorizedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        var sent = context.Request.Headers.ContainsKey(HeaderName);
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = sent
                    ? "The API key is not valid: unknown, mistyped or revoked."
                    : $"Send an API key in the {HeaderName} header.",
            },
        }).AsTask();
    }
}

/// <summary>Who an API key belongs to.</summary>
public sealed record ApiCaller(string Tenant, string Role);

/// <summary>Finds the caller an API key belongs to, or null for an unknown key.</summary>
public interface IApiKeyResolver
{
    ValueTask<ApiCaller?> ResolveAsync(string key, CancellationToken cancellationToken);
}

public static class JobsClaims
{
    public const string Tenant = "jobs:tenant";

    /// <summary>The tenant an operator key acts as when it creates jobs without naming one.</summary>
    public const string OperatorTenant = "default";

    public static string TenantOf(this ClaimsPrincipal user) => user.FindFirstValue(Tenant) ?? "";

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(JobsRoles.Operator);
}

public static class JobsRoles
{
    public const string Operator = "operator";
    public const string Tenant = "tenant";
}

public static class JobsPolicies
{
    /// <summary>Any valid key.</summary>
    public const string Caller = "caller";

    /// <summary>Operator keys only: queues, dashboards, all tenants.</summary>
    public const string Operator = "operator";
}
