using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Pages;

public static class PagesHostingExtensions
{
    /// <summary>
    /// The jobs page's services: options (<c>Jobs:Pages</c>), the embedded assets, antiforgery for its forms, the
    /// sign-in rate limit.
    /// </summary>
    public static WebApplicationBuilder AddJobsPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsPagesOptions>().Bind(builder.Configuration.GetSection(JobsPagesOptions.Section))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<JobsPagesOptions>, JobsPagesOptionsValidator>());
        builder.Services.AddSingleton<WebAssets>();
        builder.Services.AddSingleton<CustomFiles>();
        builder.Services.AddSingleton<ApiFeatures>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "jobs.form";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddSignInRateLimit();
        return builder;
    }

    /// <summary>The jobs page at <c>/jobs</c>, sign-in at <c>/signin</c>, and the throughput chart's endpoint.</summary>
    public static IEndpointRouteBuilder MapJobsPages(this WebApplication app)
    {
        app.MapJobsPageEndpoints();
        app.MapThroughputEndpoints();
        return app;
    }
}
