using Jobs.Silo.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Jobs.Api.Hosting;

public static class ClusterHostingExtensions
{
    public const string ModeKey = "Jobs:Mode";

    /// <summary>Co-hosts a silo (embedded mode) or connects to the cluster as a client (client mode).</summary>
    public static WebApplicationBuilder AddJobsCluster(this WebApplicationBuilder builder)
    {
        var mode = builder.Configuration.GetValue(ModeKey, JobsApiMode.Embedded);
        if (mode == JobsApiMode.Embedded)
        {
            builder.AddJobsSilo();
            return builder;
        }

        var connectionString = JobsDatabase.GetConnectionString(builder.Configuration);
        var cluster = builder.Configuration.GetSection(JobsClusterOptions.Section).Get<JobsClusterOptions>() ?? new();
        builder.Services.AddJobsDatabase(connectionString);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = JobsDatabase.Invariant;
                options.ConnectionString = connectionString;
            });
            client.AddDashboard();
        });
        builder.Services.AddHostedService<ClientReadiness>();
        return builder;
    }

    /// <summary>In client mode the schema belongs to the silos; the client is ready once it has connected.</summary>
    private sealed class ClientReadiness(JobsReadiness readiness) : IHostedService
    {
        // Registered after the Orleans client, whose start completes once it has connected to a gateway.
        public Task StartAsync(CancellationToken cancellationToken)
        {
            readiness.SchemaApplied = true;
            readiness.Joined = true;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            readiness.Joined = false;
            return Task.CompletedTask;
        }
    }
}
