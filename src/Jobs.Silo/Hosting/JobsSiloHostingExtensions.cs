using Jobs.Engine;
using Jobs.JobTypes;
using Jobs.Silo.Schema;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Storage;

namespace Jobs.Silo.Hosting;

public static class JobsSiloHostingExtensions
{
    /// <summary>
    /// Makes this process a silo of the Jobs cluster: schema first, then Orleans with ADO.NET clustering, grain
    /// storage and reminders on PostgreSQL, the job engine, the job types and the dashboard's services.
    /// </summary>
    public static IHostApplicationBuilder AddJobsSilo(this IHostApplicationBuilder builder)
    {
        var connectionString = JobsDatabase.GetConnectionString(builder.Configuration);
        builder.Services.AddJobsDatabase(connectionString);
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService(sp => new SchemaStartup(
            sp.GetRequiredService<SchemaMigrator>(), sp.GetRequiredService<JobsReadiness>(), connectionString));

        var cluster = builder.Configuration.GetSection(JobsClusterOptions.Section).Get<JobsClusterOptions>() ?? new();
        builder.Services.AddOptions<JobsClusterOptions>().Bind(builder.Configuration.GetSection(JobsClusterOptions.Section))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<JobsClusterOptions>, JobsClusterOptionsValidator>());

        SiloPorts.EnsureFree(cluster);
        builder.UseOrleans(silo => silo.UseJobsCluster(connectionString, cluster, builder.Configuration));
        return builder;
    }

    /// <summary>The Orleans part of a Jobs silo; also used by test clusters.</summary>
    public static ISiloBuilder UseJobsCluster(
        this ISiloBuilder silo, string connectionString, JobsClusterOptions cluster, IConfiguration configuration)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        silo.ConfigureEndpoints(cluster.AdvertisedIPAddress, cluster.SiloPort, cluster.GatewayPort, cluster.ListenOnAnyAddress);
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = cluster.ProbeTimeout;
            options.NumMissedProbesLimit = cluster.MissedProbesLimit;
        });

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = JobsDatabase.Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(JobStorage.Name, options =>
        {
            options.Invariant = JobsDatabase.Invariant;
            options.ConnectionString = connectionString;

            // A cleared state (a deleted job or schedule) removes its row rather than leaving an empty one behind
            // for ever. The job index trigger treats the delete like a clear, and the provider forgets the ETag, so
            // the same id can be created again while a stale holder of the old ETag still fails to write.
            options.DeleteStateOnClear = true;
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = JobsDatabase.Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddDashboard();

        silo.Services.AddJobsStorageSerializer();
        silo.Services.AddJobEngine(configuration);
        silo.Services.AddJobTypes(configuration);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ReadinessReporter>();
        return silo;
    }

    /// <summary>The shared data source and readiness flags; idempotent.</summary>
    public static IServiceCollection AddJobsDatabase(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => JobsDatabase.CreateDataSource(connectionString));
        services.TryAddSingleton<JobsReadiness>();
        return services;
    }

    /// <summary>Grain state is stored as System.Text.Json, which the job index trigger reads in the database.</summary>
    public static IServiceCollection AddJobsStorageSerializer(this IServiceCollection services)
    {
        services.RemoveAll<IGrainStorageSerializer>();
        services.AddSingleton<IGrainStorageSerializer, SystemTextJsonGrainStorageSerializer>();
        return services;
    }

    /// <summary>Marks the process joined once the silo is active.</summary>
    private sealed class ReadinessReporter(JobsReadiness readiness) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
            nameof(ReadinessReporter),
            ServiceLifecycleStage.Active,
            _ =>
            {
                readiness.Joined = true;
                return Task.CompletedTask;
            },
            _ =>
            {
                readiness.Joined = false;
                return Task.CompletedTask;
            });
    }
}
