using Jobs.Bulk;
using Jobs.Handlers;
using Jobs.Queues;
using Jobs.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Engine;

public static class JobEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the job engine's silo-side services: worker lanes, dead-silo recovery, the job index and the built-in
    /// noop handler. The host adds the Orleans providers and an <see cref="Npgsql.NpgsqlDataSource"/>.
    /// </summary>
    public static IServiceCollection AddJobEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobEngineOptions>().Bind(configuration.GetSection(JobEngineOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobEngineOptions>, JobEngineOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobIndex>();
        services.AddMetrics();
        services.TryAddSingleton<JobMetrics>();

        services.TryAddSingleton<QueueWorkers>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<QueueWorkers>());
        services.TryAddSingleton<JobCountCompactor>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<JobCountCompactor>());
        services.TryAddSingleton<DeadSiloRecovery>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<DeadSiloRecovery>());

        services.AddJobHandler<NoopHandler>();
        services.AddJobOperations();
        return services;
    }
}
