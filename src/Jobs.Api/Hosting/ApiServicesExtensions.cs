using Jobs.Api.Auth;
using Jobs.Api.Endpoints;
using Jobs.Api.Events;
using Jobs.Files;
using Jobs.JobTypes.ScriptForge;
using Jobs.Logs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Hosting;

public static class ApiServicesExtensions
{
    /// <summary>
    /// What the endpoints use: API keys and their cache, the job event feed with its LISTEN connection and trimmer,
    /// the durable job log, the file store, stored scripts and the schedule index, and the size limits. Works in
    /// embedded and client mode alike: everything here talks to PostgreSQL or to the cluster through the grain factory.
    /// </summary>
    public static IServiceCollection AddJobsApiServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyResolver>();
        services.AddSingleton<IApiKeyResolver>(sp => sp.GetRequiredService<ApiKeyResolver>());

        services.AddSingleton<JobEventReader>();
        services.AddSingleton<JobEventFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<JobEventFeed>());
        services.AddHostedService<PostgresNotifications>();
        services.AddOptions<JobEventOptions>().Bind(configuration.GetSection(JobEventOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobEventOptions>, JobEventOptionsValidator>());
        services.AddHostedService<JobEventTrimmer>();

        services.TryAddSingleton<JobLogStore>();
        services.AddPostgresFileStore();
        services.TryAddSingleton<ScriptStore>();
        services.TryAddSingleton<ScriptScheduleIndex>();
        services.AddOptions<ApiLimits>().Bind(configuration.GetSection(ApiLimits.Section));
        return services;
    }
}
