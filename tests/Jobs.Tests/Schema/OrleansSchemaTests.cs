using System.Net;
using Jobs.Silo.Schema;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Jobs.Tests.Schema;

/// <summary>
/// Drives the Orleans ADO.NET providers (clustering, grain storage, reminders) against our own
/// PostgreSQL schema, and checks that the migrator applies it exactly once.
/// </summary>
public sealed class OrleansSchemaTests(OrleansSchemaFixture fixture) : IClassFixture<OrleansSchemaFixture>
{
    private const int ActiveStatus = 3;
    private const int DeadStatus = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Membership_WhenTwoSilosStart_BothAreActiveAndSeeEachOther()
    {
        var cluster = fixture.Cluster;
        var addresses = cluster.Silos.Select(s => s.SiloAddress).ToHashSet();

        await Eventually.Until(
            async () => (await ReadStatusesAsync(cluster.Options.ClusterId)).Count(s => s == ActiveStatus) == 2,
            Patience, "both silos are Active in orleans_membership");
        await Eventually.Until(
            () => Task.FromResult(cluster.Silos.All(s => ActiveMembers(cluster, s).SetEquals(addresses))),
            Patience, "each silo sees both silos as active");

        Assert.Equal(2, addresses.Count);
    }

    [Fact]
    public async Task Membership_WhenSiloIsKilled_IsDeclaredDeadAndCleanedUp()
    {
        await using var cluster = await OrleansSchemaFixture.StartClusterAsync(fixture.ConnectionString);
        var victim = cluster.Silos[1];
        var survivor = cluster.Silos[0];
        await Eventually.Until(
            () => Task.FromResult(ActiveMembers(cluster, survivor).Count == 2),
            Patience, "the survivor sees both silos as active");

        await cluster.KillSiloAsync(victim);

        await Eventually.Until(
            async () => await ReadStatusAsync(cluster.Options.ClusterId, victim.SiloAddress) == DeadStatus,
            Patience, "the killed silo is declared Dead in orleans_membership");
        var table = cluster.GetSiloServiceProvider(survivor.SiloAddress).GetRequiredService<IMembershipTable>();
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(await ReadStatusAsync(cluster.Options.ClusterId, victim.SiloAddress));
        Assert.Equal(ActiveStatus, await ReadStatusAsync(cluster.Options.ClusterId, survivor.SiloAddress));
    }

    [Fact]
    public async Task MembershipTable_WhenTableVersionIsStale_RefusesInsertAndUpdate()
    {
        var clusterId = "direct-" + Guid.NewGuid();
        var table = new AdoNetClusteringTable(
            fixture.Cluster.GetSiloServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "direct" }),
            Options.Create(new AdoNetClusteringSiloOptions
            {
                Invariant = "Npgsql",
                ConnectionString = fixture.ConnectionString,
            }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var initial = (await table.ReadAllAsync()).Version;
        var first = NewMembershipEntry(port: 11111);
        var second = NewMembershipEntry(port: 22222);

        var insertedFirst = await table.InsertRowAsync(first, initial.Next());
        var insertedWithStaleVersion = await table.InsertRowAsync(second, initial.Next());
        var afterInsert = await table.ReadRowAsync(first.SiloAddress);
        var (_, rowEtag) = Assert.Single(afterInsert.Members);
        first.Status = SiloStatus.Active;
        var updated = await table.UpdateRowAsync(first, rowEtag, afterInsert.Version.Next());
        var updatedWithStaleVersion = await table.UpdateRowAsync(first, rowEtag, afterInsert.Version.Next());
        var final = await table.ReadAllAsync();

        Assert.Equal(
            (true, false, true, false),
            (insertedFirst, insertedWithStaleVersion, updated, updatedWithStaleVersion));
        Assert.Equal(initial.Version + 2, final.Version.Version);
        var (stored, _) = Assert.Single(final.Members);
        Assert.Equal((first.SiloAddress, SiloStatus.Active), (stored.SiloAddress, stored.Status));
        await table.DeleteMembershipTableEntriesAsync(clusterId);
        Assert.Empty(await ReadStatusesAsync(clusterId));
    }

    [Fact]
    public async Task GrainStorage_WhenGrainIsReactivated_ReadsBackWrittenState()
    {
        var grain = fixture.Cluster.GrainFactory.GetGrain<ISchemaProbeGrain>("storage-" + Guid.NewGuid());

        await grain.SetAsync("written before deactivation");
        await grain.DeactivateAsync();

        Assert.Equal("written before deactivation", await grain.GetAsync());
        await using var command = fixture.DataSource.CreateCommand(
            "SELECT count(*) FROM orleans_storage WHERE graintypestring = 'probe' AND payloadbinary IS NOT NULL");
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
    }

    [Fact]
    public async Task GrainStorage_WhenEtagIsStale_ThrowsInconsistentStateException()
    {
        var (storage, grainId) = DirectStorage();
        var first = new GrainState<ProbeState>(new ProbeState { Value = "first" });
        var second = new GrainState<ProbeState>(new ProbeState { Value = "second" });
        await storage.WriteStateAsync("probe", grainId, first);
        var staleEtag = first.ETag;
        await storage.WriteStateAsync("probe", grainId, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, second));
        second.ETag = staleEtag;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, second));

        Assert.Equal(("first", first.ETag), await ReadAsync(storage, grainId));
        Assert.NotEqual(staleEtag, first.ETag);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GrainStorage_WhenWritersRaceWithOneEtag_ExactlyOneWins(bool stateExists)
    {
        var (storage, grainId) = DirectStorage();
        var seed = new GrainState<ProbeState>(new ProbeState { Value = "seed" });
        if (stateExists)
        {
            await storage.WriteStateAsync("probe", grainId, seed);
        }

        var values = Enumerable.Range(0, 8).Select(i => $"writer {i}").ToList();
        var outcomes = await Task.WhenAll(values.Select(async value =>
        {
            try
            {
                var writer = new GrainState<ProbeState>(new ProbeState { Value = value }) { ETag = seed.ETag };
                await storage.WriteStateAsync("probe", grainId, writer);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        var (storedValue, _) = await ReadAsync(storage, grainId);
        Assert.Equal(values[Array.IndexOf(outcomes, true)], storedValue);
    }

    [Fact]
    public async Task GrainStorage_WhenCleared_ReadsDefaultStateAndRejectsStaleClear()
    {
        var (storage, grainId) = DirectStorage();
        var state = new GrainState<ProbeState>(new ProbeState { Value = "to be cleared" });
        await storage.WriteStateAsync("probe", grainId, state);
        var stale = new GrainState<ProbeState>(new ProbeState()) { ETag = state.ETag, RecordExists = true };

        await storage.ClearStateAsync("probe", grainId, state);

        Assert.False(state.RecordExists);
        Assert.NotEqual(stale.ETag, state.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("probe", grainId, stale));
        Assert.Equal((null, state.ETag), await ReadAsync(storage, grainId));
        state.State = new ProbeState { Value = "after clear" };
        await storage.WriteStateAsync("probe", grainId, state);
        Assert.Equal(("after clear", state.ETag), await ReadAsync(storage, grainId));
    }

    [Fact]
    public async Task GrainStorage_WhenClearDeletesState_RemovesRowAndRejectsStaleWrite()
    {
        var (storage, grainId) = DirectStorage(OrleansSchemaFixture.DeletingStorageName);
        var state = new GrainState<ProbeState>(new ProbeState { Value = "to be deleted" });
        await storage.WriteStateAsync("probe", grainId, state);
        var stale = new GrainState<ProbeState>(new ProbeState { Value = "stale" }) { ETag = state.ETag };

        await storage.ClearStateAsync("probe", grainId, state);

        Assert.Equal((false, null), (state.RecordExists, state.ETag));
        Assert.Equal((null, null), await ReadAsync(storage, grainId));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, stale));
        state.State = new ProbeState { Value = "written again" };
        await storage.WriteStateAsync("probe", grainId, state);
        Assert.Equal(("written again", state.ETag), await ReadAsync(storage, grainId));
    }

    [Fact]
    public async Task Reminders_WhenRegisteredWithOneMinutePeriod_AreStoredAndRemovedOnUnregister()
    {
        var grain = fixture.Cluster.GrainFactory.GetGrain<ISchemaProbeGrain>("reminder-" + Guid.NewGuid());
        var table = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();

        await grain.RegisterReminderAsync("tick", TimeSpan.FromMinutes(1));

        var row = await table.ReadRow(grain.GetGrainId(), "tick");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromMinutes(1), row.Period);
        var all = await table.ReadRows(0, 0);
        Assert.Contains(all.Reminders, r => r.GrainId == grain.GetGrainId() && r.ReminderName == "tick");
        Assert.True(await grain.HasReminderAsync("tick"));

        await grain.UnregisterReminderAsync("tick");

        Assert.Null(await table.ReadRow(grain.GetGrainId(), "tick"));
    }

    [Fact]
    public async Task ReminderTable_WhenEtagIsStale_RefusesToRemoveRow()
    {
        var table = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        var grainId = GrainId.Create("schemaprobe", "reminder-table-" + Guid.NewGuid());
        var entry = new ReminderEntry
        {
            GrainId = grainId, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(5),
        };
        var firstEtag = await table.UpsertRow(entry);
        var secondEtag = await table.UpsertRow(entry);
        var stored = Assert.Single((await table.ReadRows(grainId)).Reminders);

        var removedWithStale = await table.RemoveRow(grainId, "r", firstEtag!);
        var removedWithCurrent = await table.RemoveRow(grainId, "r", secondEtag!);

        Assert.NotEqual(firstEtag, secondEtag);
        Assert.Equal((secondEtag, TimeSpan.FromMinutes(5)), (stored.ETag, stored.Period));
        Assert.False(removedWithStale);
        Assert.True(removedWithCurrent);
    }

    [Fact]
    public async Task ApplyAsync_WhenRunTwice_SecondRunAppliesNothingAndChangesNothing()
    {
        var server = await PostgresServer.GetAsync();
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("migrate_twice"));
        var migrator = new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance);

        var first = await migrator.ApplyAsync(CancellationToken.None);
        var before = await CatalogFingerprintAsync(dataSource);
        var second = await migrator.ApplyAsync(CancellationToken.None);
        var after = await CatalogFingerprintAsync(dataSource);

        Assert.Contains("001-orleans.sql", first.Applied);
        Assert.Empty(first.Skipped);
        Assert.Empty(second.Applied);
        Assert.Equal(first.Applied, second.Skipped);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ApplyAsync_WhenTwoSilosStartTogether_AppliesEachFileOnce()
    {
        var server = await PostgresServer.GetAsync();
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("migrate_race"));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync(CancellationToken.None)));

        var files = SchemaMigrator.LoadEmbeddedFiles().Select(f => f.Name).ToList();
        Assert.Equal(files, results.SelectMany(r => r.Applied).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_WhenRecordedChecksumDiffers_FailsNamingTheFile()
    {
        var server = await PostgresServer.GetAsync();
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("migrate_edited"));
        var migrator = new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance);
        await migrator.ApplyAsync(CancellationToken.None);
        await using (var tamper = dataSource.CreateCommand(
            "UPDATE jobs.schema_migrations SET sha256 = repeat('0', 64) WHERE file_name = '001-orleans.sql'"))
        {
            await tamper.ExecuteNonQueryAsync();
        }

        var failure = await Assert.ThrowsAsync<SchemaMigrationException>(
            () => migrator.ApplyAsync(CancellationToken.None));

        Assert.Contains("001-orleans.sql", failure.Message, StringComparison.Ordinal);
        Assert.Contains("must not be edited", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_ClearedGrainStateFile_RemovesRowsThatEarlierClearsLeft()
    {
        const string file = "032-cleared-grain-state.sql";
        var server = await PostgresServer.GetAsync();
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("migrate_cleared"));
        var migrator = new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance);
        await migrator.ApplyAsync(CancellationToken.None);
        await using (var before = dataSource.CreateCommand(
            $$"""
            INSERT INTO orleans_storage
                (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, serviceid, payloadbinary, version)
            VALUES (1, 1, 0, 7, 'job', 'jobs', NULL, 3), (2, 2, 0, 8, 'schedule', 'jobs', NULL, 2),
                   (3, 3, 0, 9, 'queue', 'jobs', convert_to('{}', 'UTF8'), 1);
            DELETE FROM jobs.schema_migrations WHERE file_name = '{{file}}';
            """))
        {
            await before.ExecuteNonQueryAsync();
        }

        var result = await migrator.ApplyAsync(CancellationToken.None);

        Assert.Equal([file], result.Applied);
        await using var rows = dataSource.CreateCommand(
            "SELECT string_agg(graintypestring, ',' ORDER BY graintypestring) FROM orleans_storage");
        Assert.Equal("queue", await rows.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CreateDatabaseIfMissingAsync_WhenCalledTwice_CreatesOnlyOnce()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString)
        {
            Database = "created_" + Guid.NewGuid().ToString("N"),
        }.ConnectionString;

        var created = await SchemaMigrator.CreateDatabaseIfMissingAsync(connectionString);
        var createdAgain = await SchemaMigrator.CreateDatabaseIfMissingAsync(connectionString);

        Assert.True(created);
        Assert.False(createdAgain);
    }

    private (IGrainStorage Storage, GrainId GrainId) DirectStorage(string name = OrleansSchemaFixture.StorageName)
    {
        var services = fixture.Cluster.GetSiloServiceProvider();
        var storage = services.GetRequiredKeyedService<IGrainStorage>(name);

        return (storage, GrainId.Create("schemaprobe", "direct-" + Guid.NewGuid()));
    }

    private static async Task<(string? Value, string? ETag)> ReadAsync(IGrainStorage storage, GrainId grainId)
    {
        var read = new GrainState<ProbeState>();
        await storage.ReadStateAsync("probe", grainId, read);

        return (read.State?.Value, read.ETag);
    }

    private static MembershipEntry NewMembershipEntry(int port) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1),
        SiloName = $"direct-{port}",
        HostName = "localhost",
        Status = SiloStatus.Joining,
        ProxyPort = port + 1,
        StartTime = DateTime.UtcNow,
        IAmAliveTime = DateTime.UtcNow,
    };

    private static HashSet<SiloAddress> ActiveMembers(TestCluster cluster, SiloHandle silo) =>
        cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<IClusterMembershipService>()
            .CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress)
            .ToHashSet();

    private async Task<List<int>> ReadStatusesAsync(string clusterId)
    {
        await using var command = fixture.DataSource.CreateCommand(
            "SELECT status FROM orleans_membership WHERE deploymentid = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new List<int>();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }

    private async Task<int?> ReadStatusAsync(string clusterId, SiloAddress silo)
    {
        await using var command = fixture.DataSource.CreateCommand("""
            SELECT status FROM orleans_membership
            WHERE deploymentid = $1 AND address = $2 AND port = $3 AND generation = $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Endpoint.Address.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Endpoint.Port });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Generation });

        return (int?)await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Everything a migration could touch: columns, indexes, constraints and functions in our schemas,
    /// the stored Orleans queries and the migration journal, with xmin and relfilenode so that a row or
    /// table rewritten with identical content still shows.
    /// </summary>
    private static async Task<string> CatalogFingerprintAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT string_agg(line, E'\n' ORDER BY line) FROM (
                SELECT format('column %s.%s.%s %s %s %s', table_schema, table_name, column_name, data_type,
                              is_nullable, column_default) AS line
                FROM information_schema.columns WHERE table_schema IN ('public', 'jobs')
                UNION ALL
                SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname IN ('public', 'jobs')
                UNION ALL
                SELECT format('relation %s %s', c.oid::regclass, c.relfilenode)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'jobs')
                UNION ALL
                SELECT format('constraint %s %s', conname, pg_get_constraintdef(c.oid))
                FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname IN ('public', 'jobs')
                UNION ALL
                SELECT format('function %s.%s %s', n.nspname, p.proname, md5(p.prosrc))
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('public', 'jobs')
                UNION ALL
                SELECT format('query %s %s xmin %s', querykey, md5(querytext), xmin) FROM orleansquery
                UNION ALL
                SELECT format('migration %s %s %s xmin %s', file_name, sha256, applied_at, xmin)
                FROM jobs.schema_migrations
            ) lines
            """);

        return (string)(await command.ExecuteScalarAsync())!;
    }
}
