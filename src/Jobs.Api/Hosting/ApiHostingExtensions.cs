using System.Text.Json;
using Jobs.Api.Auth;
using Jobs.Api.Http;
using Jobs.Api.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;

namespace Jobs.Api.Hosting;

public static class ApiHostingExtensions
{
    /// <summary>
    /// HTTP services: JSON conventions, ProblemDetails, API-key authentication and its policies, the session key ring in
    /// PostgreSQL, OpenAPI.
    /// </summary>
    public static WebApplicationBuilder AddJobsApi(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ClusterExceptionHandler>();

        builder.Services.AddJobsApiServices(builder.Configuration);
        builder.Services.AddJobsDataProtection();
        // An X-Api-Key header authenticates by key; otherwise the jobs page's sign-in cookie (Pages/JobsSession.cs).
        builder.Services.AddAuthentication(JobsSession.PolicyScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJobsSession();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(JobsPolicies.Caller, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(JobsPolicies.Operator, policy => policy.RequireRole(JobsRoles.Operator))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddJobsOpenApi();
        return builder;
    }

    public static WebApplication UseJobsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseJobsDocs();
        // Before authentication, so a refused sign-in post costs no key lookup (policy: Pages/SignInRateLimit.cs).
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJobsOpenApi();
        return app;
    }
}

/// <summary>The API's JSON: camelCase, nulls omitted, enums as lower-case ids.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.TypeInfoResolver ??= new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }
}
