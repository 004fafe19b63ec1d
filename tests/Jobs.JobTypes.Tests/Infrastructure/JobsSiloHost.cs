using Jobs.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using FreePort = Jobs.Tests.Infrastructure.FreePort;

namespace Jobs.JobTypes.Tests.Infrastructure;

/// <summary>
/// The product's silo (Jobs.Silo's <c>AddJobsSilo</c>: schema migration, ADO.NET clustering, storage and
/// reminders on PostgreSQL, the engine and every job type) in this process, on a database of the test server.
/// Stopping one and starting another on the same database is a silo restart.
/// </summary>
public sealed class JobsSiloHost : IAsyncDisposable
{
    private readonly IHost _host;

    private JobsSiloHost(IHost host)
    {
        _host = host;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<JobsSiloHost> StartAsync(string connectionString, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Jobs"] = connectionString,
            ["Jobs:Cluster:SiloPort"] = FreePort.Pick().ToString(),
            ["Jobs:Cluster:GatewayPort"] = FreePort.Pick().ToString(),
            ["Jobs:Engine:ShutdownGrace"] = "00:00:02",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddJobsSilo();

        var host = builder.Build();
        await host.StartAsync();
        return new JobsSiloHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
