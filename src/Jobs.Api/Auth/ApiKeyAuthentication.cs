using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Auth;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header. The bootstrap operator key comes from the
/// <c>JOBS_OPERATOR_KEY</c> environment variable (or <c>Jobs:OperatorKey</c>); keys are compared in constant time
/// and never logged.
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
}

/// <summary>Who an API key belongs to.</summary>
public sealed record ApiCaller(string Tenant, string Role);

/// <summary>Finds the caller an API key belongs to, or null for an unknown key.</summary>
public interface IApiKeyResolver
{
    ValueTask<ApiCaller?> ResolveAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Knows the bootstrap operator key only.</summary>
public sealed class OperatorKeyResolver(IConfiguration configuration) : IApiKeyResolver
{
    public const string EnvironmentVariable = "JOBS_OPERATOR_KEY";

    private readonly byte[]? _operatorKey = configuration[EnvironmentVariable] is { Length: > 0 } key
        ? SHA256.HashData(Encoding.UTF8.GetBytes(key))
        : configuration["Jobs:OperatorKey"] is { Length: > 0 } configured
            ? SHA256.HashData(Encoding.UTF8.GetBytes(configured))
            : null;

    public ValueTask<ApiCaller?> ResolveAsync(string key, CancellationToken cancellationToken)
    {
        if (_operatorKey is null)
        {
            return ValueTask.FromResult<ApiCaller?>(null);
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return ValueTask.FromResult(CryptographicOperations.FixedTimeEquals(presented, _operatorKey)
            ? new ApiCaller(JobsClaims.OperatorTenant, JobsRoles.Operator)
            : null);
    }
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
