using Jobs.Engine;
using Jobs.Files;
using Jobs.JobTypes.Rating;
using Jobs.Silo.Hosting;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobs.Bench.RatingJobs;

/// <summary>
/// The product's silo (Jobs.Silo's AddJobsSilo: schema, clustering, storage, engine, job types) in this process, on a
/// database of its own: a throwaway PostgreSQL server started like the tests' (fsync off), or the server given.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    public const string Tenant = "bench";

    private readonly IHost _host;

    private BenchCluster(IHost host, string connectionString)
    {
        _host = host;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>The database's name, unique to this run.</summary>
    public string Database => new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IFileStore Files => _host.Services.GetRequiredService<IFileStore>();

    public CardStore Cards => _host.Services.GetRequiredService<CardStore>();

    /// <param name="toastCompression">
    /// When set (lz4 or pglz), the database's default compression of large values, which the file store's chunks
    /// use: to measure what a different choice would change.
    /// </param>
    public static async Task<BenchCluster> StartAsync(
        string? adminConnectionString, string? toastCompression, IReadOnlyDictionary<string, string?> settings)
    {
        if (adminConnectionString is not null)
        {
            Environment.SetEnvironmentVariable(PostgresServer.ConnectionStringVariable, adminConnectionString);
        }

        var server = await PostgresServer.GetAsync();
        var database = await server.CreateDatabaseAsync("bench");
        if (toastCompression is not null)
        {
            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync();
            var method = toastCompression == "lz4" ? "lz4" : "pglz";
            await using var command = new Npgsql.NpgsqlCommand(
                $"ALTER DATABASE \"{connection.Database}\" SET default_toast_compression = '{method}'", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Jobs"] = database,
            ["Jobs:Cluster:SiloPort"] = FreePort.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Jobs:Cluster:GatewayPort"] = FreePort.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddJobsSilo();

        var host = builder.Build();
        await host.StartAsync();
        return new BenchCluster(host, database);
    }

    /// <summary>Creates a job and waits until it ends; returns its last snapshot.</summary>
    public async Task<JobSnapshot> RunAsync(string type, string payload, Action<JobSnapshot>? onPoll = null)
    {
        var id = JobIds.New();
        var spec = new JobSpec { Type = type, Tenant = Tenant, Payload = payload, Attempts = 1, Timeout = TimeSpan.FromHours(2) };
        var created = await Grains.GetGrain<IJobGrain>(id).CreateAsync(spec, freshId: true);
        if (!created.IsValid)
        {
            throw new InvalidOperationException($"The {type} job was refused: {string.Join("; ", created.Errors!.ToDictionary().Keys)}");
        }

        while (true)
        {
            var job = await Grains.GetGrain<IJobGrain>(id).GetAsync() ?? throw new InvalidOperationException("The job vanished.");
            onPoll?.Invoke(job);
            if (job.Status is JobStatus.Completed or JobStatus.Failed)
            {
                return job.Status == JobStatus.Completed
                    ? job
                    : throw new InvalidOperationException($"The {type} job failed: {job.FailedReason}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
