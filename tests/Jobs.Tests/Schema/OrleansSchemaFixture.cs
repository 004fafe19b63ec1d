using Jobs.Silo.Schema;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Jobs.Tests.Schema;

/// <summary>One database with the schema applied, and a two-silo cluster on it.</summary>
public sealed class OrleansSchemaFixture : IAsyncLifetime
{
    public const string StorageName = "jobs";

    /// <summary>The same storage with DeleteStateOnClear: clearing runs DeleteStorageKey instead.</summary>
    public const string DeletingStorageName = "jobs-deleting";

    private const string ConnectionStringKey = "JobsTests:PostgresConnectionString";

    public TestCluster Cluster { get; private set; } = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        ConnectionString = await server.CreateDatabaseAsync("orleans_schema");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await new SchemaMigrator(DataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync(CancellationToken.None);
        Cluster = await StartClusterAsync(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await DataSource.DisposeAsync();
    }

    public static async Task<TestCluster> StartClusterAsync(string connectionString)
    {
        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();

        return cluster;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]!;
            siloBuilder
                .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString))
                .UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString))
                .AddAdoNetGrainStorage(StorageName, o => ConfigureStorage(o, connectionString, deleteOnClear: false))
                .AddAdoNetGrainStorage(
                    DeletingStorageName, o => ConfigureStorage(o, connectionString, deleteOnClear: true));

            // Seconds instead of minutes to notice a killed silo: probe every second, give up after
            // two misses, and with only two silos a single vote is enough to declare it dead.
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
                o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
                o.EnableIndirectProbes = false;
            });
        }
    }

    private static void ConfigureStorage(
        OptionsBuilder<AdoNetGrainStorageOptions> options, string connectionString, bool deleteOnClear) =>
        options.Configure<IServiceProvider>((o, services) =>
        {
            (o.Invariant, o.ConnectionString, o.DeleteStateOnClear) = ("Npgsql", connectionString, deleteOnClear);
            o.GrainStorageSerializer =
                ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(services);
        });

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
                (o.Invariant, o.ConnectionString) = ("Npgsql", configuration[ConnectionStringKey]!));
    }
}

/// <summary>A grain whose only job is to exercise the storage and reminder providers.</summary>
public interface ISchemaProbeGrain : IGrainWithStringKey
{
    Task SetAsync(string value);

    Task<string?> GetAsync();

    Task DeactivateAsync();

    Task RegisterReminderAsync(string name, TimeSpan period);

    Task<bool> HasReminderAsync(string name);

    Task UnregisterReminderAsync(string name);
}

public sealed class ProbeState
{
    public string? Value { get; set; }
}

public sealed class SchemaProbeGrain(
    [PersistentState("probe", OrleansSchemaFixture.StorageName)] IPersistentState<ProbeState> state)
    : Grain, ISchemaProbeGrain, IRemindable
{
    public async Task SetAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<string?> GetAsync() => Task.FromResult(state.State.Value);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task RegisterReminderAsync(string name, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, period, period);

    public async Task<bool> HasReminderAsync(string name) => await this.GetReminder(name) is not null;

    public async Task UnregisterReminderAsync(string name)
    {
        var reminder = await this.GetReminder(name)
            ?? throw new InvalidOperationException($"No reminder named {name}.");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
