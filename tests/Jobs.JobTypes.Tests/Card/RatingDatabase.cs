using Jobs.Files;
using Jobs.JobTypes.Cdr;
using Jobs.JobTypes.Rating;
using Jobs.JobTypes.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.JobTypes.Tests.Card;

/// <summary>
/// A fresh database with every schema file applied in name order (as the migrator applies them), and the rating
/// stores on it. One per test class.
/// </summary>
public sealed class RatingDatabase : IAsyncLifetime
{
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public CardStore Cards { get; private set; } = null!;

    public CdrRunStore Runs { get; private set; } = null!;

    public IFileStore Files { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        DataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("rating"));
        foreach (var file in SchemaFiles())
        {
            await using var command = DataSource.CreateCommand(await File.ReadAllTextAsync(file));
            await command.ExecuteNonQueryAsync();
        }

        Cards = new CardStore(DataSource, new CardCache(Options.Create(new RatingOptions())));
        Runs = new CdrRunStore(DataSource);
        Files = new PostgresFileStore(DataSource);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static IEnumerable<string> SchemaFiles()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var schema = Path.Combine(directory.FullName, "infra", "schema");
            if (File.Exists(Path.Combine(schema, "010-rating.sql")))
            {
                return Directory.GetFiles(schema, "*.sql").Order(StringComparer.Ordinal);
            }
        }

        throw new DirectoryNotFoundException("infra/schema not found above the test's output folder.");
    }
}
