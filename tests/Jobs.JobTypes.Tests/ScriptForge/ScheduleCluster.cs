using Jobs.Engine;
using Jobs.JobTypes.Tests.Infrastructure;
using Jobs.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;

namespace Jobs.JobTypes.Tests.ScriptForge;

/// <summary>
/// One real silo running the job engine and ScriptForge, on a fresh database holding every schema file (applied in
/// name order, as the migrator does). Grain state and reminders are the in-memory providers (state through the host's System.Text.Json serializer): this project does
/// not carry the ADO.NET ones, and what is under test is the schedule grain and the engine, not the providers.
/// </summary>
public sealed class ScheduleCluster : IAsyncLifetime
{
    private const string ConnectionStringKey = "ScriptForgeTests:ConnectionString";

    public TestCluster Cluster { get; private set; } = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("schedules");
        DataSource = NpgsqlDataSource.Create(connectionString);
        foreach (var file in SchemaFiles())
        {
            await using var command = DataSource.CreateCommand(await File.ReadAllTextAsync(file));
            await command.ExecuteNonQueryAsync();
        }

        var builder = new TestClusterBuilder(1);
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await DataSource.DisposeAsync();
    }

    private static IEnumerable<string> SchemaFiles()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var schema = Path.Combine(directory.FullName, "infra", "schema");
            if (File.Exists(Path.Combine(schema, "004-scripts.sql")))
            {
                return Directory.GetFiles(schema, "*.sql").Order(StringComparer.Ordinal);
            }
        }

        throw new DirectoryNotFoundException("infra/schema not found above the test's output folder.");
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]!;
            siloBuilder.AddMemoryGrainStorage(JobStorage.Name);
            siloBuilder.Services.AddJobsStorageSerializer();
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            siloBuilder.Services.AddJobEngine(siloBuilder.Configuration);
            siloBuilder.Services.AddScriptForge(siloBuilder.Configuration);
        }
    }
}
