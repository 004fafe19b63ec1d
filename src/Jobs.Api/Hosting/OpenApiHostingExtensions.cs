using Jobs.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerUI;

namespace Jobs.Api.Hosting;

/// <summary>
/// The API describes itself: the OpenAPI document at <c>/openapi/v1.json</c> and an interactive reference at
/// <c>/docs</c>. The reference page is Swagger UI, whose scripts and styles are embedded in its package and served
/// from this process: the page loads nothing from anywhere else (no CDN, no fonts, no online validator).
/// </summary>
public static class OpenApiHostingExtensions
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string DocsPath = "docs";
    public const string SecuritySchemeName = "ApiKey";

    public static IServiceCollection AddJobsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Jobs API",
                    Version = "v1",
                    Description =
                        "Background jobs of the softswitch: create and follow jobs, their logs and live events, files, "
                        + "queues and their settings, bulk actions and API keys. Authenticate with an API key in the "
                        + "X-Api-Key header. Errors are ProblemDetails (RFC 9457); validation errors name each field.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "An API key made with POST /api/keys, or the bootstrap operator key (JOBS_OPERATOR_KEY).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (!metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [],
                    });
                }

                return Task.CompletedTask;
            });
        });

    public static WebApplication MapJobsOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// The reference page at <c>/docs</c>. It must come before authorization: the fallback policy also covers
    /// requests that match no endpoint, and the page is static, public text (calls from it send the caller's key).
    /// </summary>
    public static WebApplication UseJobsDocs(this WebApplication app)
    {
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = DocsPath;
            options.DocumentTitle = "Jobs API";
            options.SwaggerEndpoint(DocumentPath, "Jobs API v1");

            // Left unset, Swashbuckle turns off Swagger UI's online validator badge, which would send it the document.
            options.ConfigObject.ValidatorUrl = null;
            options.EnablePersistAuthorization();
            options.DisplayRequestDuration();
            options.DocExpansion(DocExpansion.List);
        });
        return app;
    }
}
