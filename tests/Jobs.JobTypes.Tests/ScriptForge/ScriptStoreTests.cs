using Jobs.JobTypes.ScriptForge;
using Npgsql;

namespace Jobs.JobTypes.Tests.ScriptForge;

public sealed class ScriptStoreTests(ScriptsDatabase database) : IClassFixture<ScriptsDatabase>
{
    private readonly ScriptStore _store = new(database.DataSource);

    [Fact]
    public async Task SaveAsync_WhenNameIsNew_CreatesVersionOne()
    {
        var tenant = NewTenant();

        var saved = await _store.SaveAsync(tenant, "rerate", "function main() { return 1 }", CancellationToken.None);

        Assert.Equal(1, saved.Version);
        Assert.Equal(("rerate", tenant), (saved.Name, saved.Tenant));
        Assert.NotEqual(Guid.Empty, saved.Id);
    }

    [Fact]
    public async Task SaveAsync_WhenNameExists_AddsTheNextVersionUnderTheSameId()
    {
        var tenant = NewTenant();
        var first = await _store.SaveAsync(tenant, "rerate", "1", CancellationToken.None);

        var second = await _store.SaveAsync(tenant, "rerate", "2", CancellationToken.None);
        var third = await _store.SaveAsync(tenant, "rerate", "3", CancellationToken.None);

        Assert.Equal((first.Id, 2), (second.Id, second.Version));
        Assert.Equal((first.Id, 3), (third.Id, third.Version));
    }

    [Fact]
    public async Task SaveAsync_WhenTwoTenantsUseOneName_EachHasItsOwnScript()
    {
        var mine = await _store.SaveAsync(NewTenant(), "report", "1", CancellationToken.None);

        var theirs = await _store.SaveAsync(NewTenant(), "report", "2", CancellationToken.None);

        Assert.NotEqual(mine.Id, theirs.Id);
        Assert.Equal(1, theirs.Version);
    }

    [Fact]
    public async Task SaveAsync_WhenSavedConcurrently_VersionsAreConsecutiveAndUnique()
    {
        var tenant = NewTenant();

        var saved = await Task.WhenAll(Enumerable.Range(1, 12)
            .Select(i => _store.SaveAsync(tenant, "busy", $"'{i}'", CancellationToken.None)));

        Assert.Equal(Enumerable.Range(1, 12), saved.Select(s => s.Version).Order());
        Assert.Single(saved.Select(s => s.Id).Distinct());
    }

    [Fact]
    public async Task GetAsync_WhenVersionIsNull_ReturnsTheLatest()
    {
        var tenant = NewTenant();
        var first = await _store.SaveAsync(tenant, "rerate", "'one'", CancellationToken.None);
        await _store.SaveAsync(tenant, "rerate", "'two'", CancellationToken.None);

        var latest = await _store.GetAsync(tenant, first.Id, version: null, CancellationToken.None);
        var one = await _store.GetAsync(tenant, first.Id, version: 1, CancellationToken.None);

        Assert.Equal((2, "'two'"), (latest!.Version, latest.Source));
        Assert.Equal((1, "'one'"), (one!.Version, one.Source));
    }

    [Fact]
    public async Task GetAsync_WhenAnotherTenantAsks_FindsNothing()
    {
        var saved = await _store.SaveAsync(NewTenant(), "private", "'secret'", CancellationToken.None);

        var found = await _store.GetAsync(NewTenant(), saved.Id, version: null, CancellationToken.None);

        Assert.Null(found);
    }

    [Fact]
    public async Task GetAsync_WhenVersionDoesNotExist_FindsNothing()
    {
        var tenant = NewTenant();
        var saved = await _store.SaveAsync(tenant, "rerate", "1", CancellationToken.None);

        var found = await _store.GetAsync(tenant, saved.Id, version: 2, CancellationToken.None);

        Assert.Null(found);
    }

    [Fact]
    public async Task ListAsync_ReturnsTheTenantsScriptsByNameWithTheirLatestVersion()
    {
        var tenant = NewTenant();
        await _store.SaveAsync(tenant, "zeta", "1", CancellationToken.None);
        await _store.SaveAsync(tenant, "alpha", "1", CancellationToken.None);
        await _store.SaveAsync(tenant, "alpha", "2", CancellationToken.None);
        await _store.SaveAsync(NewTenant(), "other tenant's", "1", CancellationToken.None);

        var scripts = await _store.ListAsync(tenant, CancellationToken.None);

        Assert.Equal([("alpha", 2), ("zeta", 1)], scripts.Select(s => (s.Name, s.LatestVersion)));
    }

    [Fact]
    public async Task Versions_WhenUpdatedInTheDatabase_AreRefused()
    {
        var saved = await _store.SaveAsync(NewTenant(), "fixed", "'v1'", CancellationToken.None);
        await using var update = database.DataSource.CreateCommand(
            "UPDATE jobs.script_version SET source = 'tampered' WHERE script_id = $1");
        update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = saved.Id });

        var error = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());

        Assert.Contains("is immutable; save a new version instead", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_WhenSourceDoesNotParse_RefusesNamingTheFieldAndPlace()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => _store.SaveAsync(NewTenant(), "broken", "function main() {\n  return (1;\n}", CancellationToken.None));

        Assert.Equal("source", error.ParamName);
        Assert.StartsWith("source SyntaxError: Unexpected token ';' (line 2, column 12)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "n", "1", "tenant")]
    [InlineData("t", "", "1", "name")]
    [InlineData("t", " padded", "1", "name")]
    [InlineData("t", "n", "", "source")]
    public void Validate_WhenAFieldIsWrong_NamesIt(string tenant, string name, string source, string field)
    {
        var errors = ScriptStore.Validate(tenant, name, source);

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public async Task SchemaFile_WhenAppliedAgain_ChangesNothing()
    {
        var tenant = NewTenant();
        var saved = await _store.SaveAsync(tenant, "kept", "'kept'", CancellationToken.None);

        await database.ApplySchemaAgainAsync();

        Assert.Equal("'kept'", (await _store.GetAsync(tenant, saved.Id, null, CancellationToken.None))!.Source);
    }

    private static string NewTenant() => $"tenant-{Guid.NewGuid():N}";
}
