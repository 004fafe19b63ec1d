using Jobs.JobTypes.Tests.Infrastructure;
using Npgsql;

namespace Jobs.JobTypes.Tests.ScriptForge;

/// <summary>
/// A fresh database holding the script tables, created by running <c>infra/schema/004-scripts.sql</c> itself, the
/// file the schema migrator applies. One per test class (an xunit class fixture).
/// </summary>
public sealed class ScriptsDatabase : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("scripts");
        _dataSource = NpgsqlDataSource.Create(connectionString);

        var sql = await File.ReadAllTextAsync(SchemaFile());
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    /// <summary>Runs the schema file again, as a migrator that lost its journal would.</summary>
    public async Task ApplySchemaAgainAsync()
    {
        await using var command = DataSource.CreateCommand(await File.ReadAllTextAsync(SchemaFile()));
        await command.ExecuteNonQueryAsync();
    }

    private static string SchemaFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "infra", "schema", "004-scripts.sql");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("infra/schema/004-scripts.sql not found above the test's output folder.");
    }
}
