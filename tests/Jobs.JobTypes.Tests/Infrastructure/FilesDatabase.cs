using Npgsql;

namespace Jobs.JobTypes.Tests.Infrastructure;

/// <summary>A fresh database holding the file tables, created from the same SQL file the schema migrator applies.</summary>
public static class FilesDatabase
{
    public static async Task<NpgsqlDataSource> CreateAsync(string prefix)
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync(prefix);
        var dataSource = NpgsqlDataSource.Create(connectionString);

        var sql = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Schema", "003-files.sql"));
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
        return dataSource;
    }
}
