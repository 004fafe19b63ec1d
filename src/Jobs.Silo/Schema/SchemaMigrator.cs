using System.Reflection;
using System.Security.Cryptography;
using Npgsql;

namespace Jobs.Silo.Schema;

/// <summary>
/// Brings a database up to the schema this build carries: every embedded <c>infra/schema/*.sql</c> file,
/// in file-name order, each applied once and recorded with its SHA-256 in <c>jobs.schema_migrations</c>.
/// </summary>
/// <remarks>
/// All pending files run in one transaction that holds a transaction-scoped advisory lock, so silos
/// starting together apply them once between them, and a failing file leaves the database as it was.
/// A file therefore must not contain its own <c>BEGIN</c>/<c>COMMIT</c>, nor statements PostgreSQL refuses
/// inside a transaction block (<c>CREATE INDEX CONCURRENTLY</c>, <c>VACUUM</c>). Applied files are never
/// edited: a change goes into a new file, and an edited one stops start-up.
/// </remarks>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    /// <summary>Advisory lock key shared by every Jobs process that migrates ("JobsSchm" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x4A6F6273_5363686D;

    private const string ResourceFolder = "Schema";

    /// <summary>Applies the embedded schema files that the database has not seen yet.</summary>
    /// <exception cref="SchemaMigrationException">A recorded file's checksum no longer matches.</exception>
    public async Task<SchemaMigrationResult> ApplyAsync(CancellationToken cancellationToken)
    {
        var files = LoadEmbeddedFiles();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);

        var recorded = await ReadRecordedAsync(connection, cancellationToken);
        var applied = new List<string>();
        var skipped = new List<string>();
        foreach (var file in files)
        {
            if (recorded.TryGetValue(file.Name, out var recordedChecksum))
            {
                EnsureUnchanged(file, recordedChecksum);
                skipped.Add(file.Name);
                continue;
            }

            LogApplying(file.Name, file.Checksum);
            await ApplyFileAsync(connection, file, cancellationToken);
            applied.Add(file.Name);
        }

        WarnAboutUnknownFiles(files, recorded);
        await transaction.CommitAsync(cancellationToken);
        LogCompleted(applied.Count, skipped.Count);

        return new SchemaMigrationResult(applied, skipped);
    }

    /// <summary>
    /// Creates the database named in <paramref name="connectionString"/> if it does not exist, connecting
    /// to the <c>postgres</c> maintenance database with the same credentials.
    /// </summary>
    /// <returns><see langword="true"/> when this call created the database.</returns>
    public static async Task<bool> CreateDatabaseIfMissingAsync(
        string connectionString, CancellationToken cancellationToken = default)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database;
        if (string.IsNullOrEmpty(database))
        {
            throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        }

        var maintenance = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Database = "postgres",
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = database });
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await ExecuteAsync(connection, $"CREATE DATABASE {quoted}", cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it between our check and our CREATE.
            return false;
        }
    }

    private static async Task<Dictionary<string, string>> ReadRecordedAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Checked rather than CREATE ... IF NOT EXISTS, so that an up-to-date database sees reads only.
        await using var probe = new NpgsqlCommand(
            "SELECT to_regclass('jobs.schema_migrations') IS NOT NULL", connection);
        var tableExists = (bool)(await probe.ExecuteScalarAsync(cancellationToken))!;
        if (!tableExists)
        {
            await ExecuteAsync(connection, CreateJournalSql, cancellationToken);
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var select = new NpgsqlCommand("SELECT file_name, sha256 FROM jobs.schema_migrations", connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded.Add(reader.GetString(0), reader.GetString(1));
        }

        return recorded;
    }

    private const string CreateJournalSql = """
        CREATE SCHEMA IF NOT EXISTS jobs;
        CREATE TABLE IF NOT EXISTS jobs.schema_migrations
        (
            file_name text PRIMARY KEY,
            sha256 text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    private static async Task ApplyFileAsync(
        NpgsqlConnection connection, SchemaFile file, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, file.Sql, cancellationToken);
        }
        catch (PostgresException e)
        {
            throw new SchemaMigrationException(
                $"Schema file {file.Name} failed: {e.SqlState} {e.MessageText}"
                + (e.Position > 0 ? $" (at character {e.Position})" : string.Empty)
                + ". Nothing from this start-up was applied.",
                e);
        }

        await using var record = new NpgsqlCommand(
            "INSERT INTO jobs.schema_migrations (file_name, sha256) VALUES ($1, $2)", connection);
        record.Parameters.Add(new NpgsqlParameter { Value = file.Name });
        record.Parameters.Add(new NpgsqlParameter { Value = file.Checksum });
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void EnsureUnchanged(SchemaFile file, string recordedChecksum)
    {
        if (string.Equals(file.Checksum, recordedChecksum, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        throw new SchemaMigrationException(
            $"Schema file {file.Name} was applied to this database with SHA-256 {recordedChecksum}, "
            + $"but this build carries a different version of it (SHA-256 {file.Checksum}). "
            + "Applied schema files must not be edited: restore the file and put the change in a new file.");
    }

    private void WarnAboutUnknownFiles(IReadOnlyList<SchemaFile> files, Dictionary<string, string> recorded)
    {
        var known = files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in recorded.Keys.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal))
        {
            LogUnknownFile(name);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The schema files embedded in this assembly, ordered by file name.</summary>
    public static IReadOnlyList<SchemaFile> LoadEmbeddedFiles()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = assembly.GetName().Name + "." + ResourceFolder + ".";

        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal)
                && n.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            .Select(n => ReadResource(assembly, n, n[prefix.Length..]))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static SchemaFile ReadResource(Assembly assembly, string resourceName, string fileName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource {resourceName} could not be opened.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();

        // The checksum covers the bytes as built, so any edit (even whitespace) is detected.
        var checksum = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);

        return new SchemaFile(fileName, checksum, reader.ReadToEnd());
    }
}

/// <summary>One embedded schema file.</summary>
/// <param name="Name">File name, such as <c>001-orleans.sql</c>; the order of application.</param>
/// <param name="Checksum">Lower-case hex SHA-256 of the file's bytes.</param>
/// <param name="Sql">The file's text.</param>
public sealed record SchemaFile(string Name, string Checksum, string Sql);

/// <summary>What <see cref="SchemaMigrator.ApplyAsync"/> did, by file name in order.</summary>
/// <param name="Applied">Files run by this call.</param>
/// <param name="Skipped">Files the database had already, with a matching checksum.</param>
public sealed record SchemaMigrationResult(IReadOnlyList<string> Applied, IReadOnlyList<string> Skipped);

/// <summary>The database schema cannot be brought up to this build's; start-up must stop.</summary>
public sealed class SchemaMigrationException : Exception
{
    public SchemaMigrationException()
    {
    }

    public SchemaMigrationException(string message)
        : base(message)
    {
    }

    public SchemaMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
