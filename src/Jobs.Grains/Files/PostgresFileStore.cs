using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Files;

/// <summary>
/// Stores files in PostgreSQL (<c>infra/schema/003-files.sql</c>): a row in <c>jobs.file</c> and the content in
/// rows of <see cref="ChunkSize"/> bytes in <c>jobs.file_chunk</c>. The schema file says why chunks and not large
/// objects. Writing and reading each hold one chunk in memory at a time, whatever the file's size.
/// </summary>
public sealed partial class PostgresFileStore : IFileStore
{
    /// <summary>The size of every chunk of a new file but the last.</summary>
    public const int ChunkSize = 1024 * 1024;

    private const int MaxTenantLength = 200;
    private const int MaxNameLength = 255;
    private const int MaxContentTypeLength = 255;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;

    public PostgresFileStore(NpgsqlDataSource dataSource, ILogger<PostgresFileStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The chunks and the file's row are written in one transaction, so a failed or cancelled upload leaves
    /// nothing behind. The transaction stays open for as long as <paramref name="content"/> takes to read.
    /// </remarks>
    public async Task<StoredFile> SaveAsync(
        string tenant, string name, string contentType, Stream content, CancellationToken cancellationToken)
    {
        CheckText(tenant, nameof(tenant), MaxTenantLength);
        CheckText(name, nameof(name), MaxNameLength);
        CheckText(contentType, nameof(contentType), MaxContentTypeLength);
        ArgumentNullException.ThrowIfNull(content);

        var id = Guid.CreateVersion7();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var (length, sha256) = await CopyChunksAsync(connection, id, content, cancellationToken);
        var createdAt = await InsertFileAsync(
            connection, new FileRow(id, tenant, name, contentType, length, sha256), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogSaved(id, tenant, length);
        return new StoredFile(id, tenant, name, contentType, length, createdAt, sha256);
    }

    /// <inheritdoc />
    public async Task<StoredFile?> GetAsync(Guid id, string? tenant, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, tenant, cancellationToken);
        return found?.File;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The stream is seekable and fetches one chunk per query from the pool, holding no connection between
    /// reads. Files are never changed once stored; a file deleted while it is read fails the next chunk fetch
    /// with an <see cref="IOException"/>.
    /// </remarks>
    public async Task<Stream?> OpenReadAsync(Guid id, string? tenant, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, tenant, cancellationToken);
        if (found is not { } row)
        {
            return null;
        }

        LogOpened(id, row.File.Length);
        return new ChunkReadStream(_dataSource, id, row.File.Length, row.ChunkSize);
    }

    private static async Task<(long Length, string Sha256)> CopyChunksAsync(
        NpgsqlConnection connection, Guid id, Stream content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var importer = await connection.BeginBinaryImportAsync(
                "COPY jobs.file_chunk (file_id, seq, data) FROM STDIN (FORMAT BINARY)", cancellationToken);

            long length = 0;
            var seq = 0;
            int read;
            do
            {
                read = await content.ReadAtLeastAsync(
                    buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(seq, NpgsqlDbType.Integer, cancellationToken);
                var data = new ArraySegment<byte>(buffer, 0, read);
                await importer.WriteAsync(data, NpgsqlDbType.Bytea, cancellationToken);
                length += read;
                seq++;
            }
            while (read == ChunkSize);

            // Disposing the importer without completing it cancels the COPY, which aborts the transaction.
            await importer.CompleteAsync(cancellationToken);
            return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<DateTimeOffset> InsertFileAsync(
        NpgsqlConnection connection, FileRow file, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO jobs.file (id, tenant, name, content_type, length, sha256, chunk_size)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            RETURNING created_at
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = file.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = file.Tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = file.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = file.ContentType });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = file.Length });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = file.Sha256 });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ChunkSize });

        var createdAt = await command.ExecuteScalarAsync(cancellationToken);
        return new DateTimeOffset((DateTime)createdAt!, TimeSpan.Zero);
    }

    private async Task<(StoredFile File, int ChunkSize)?> FindAsync(
        Guid id, string? tenant, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT tenant, name, content_type, length, created_at, sha256, chunk_size
            FROM jobs.file
            WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(
            new NpgsqlParameter { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var file = new StoredFile(
            id,
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetInt64(3),
            new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero),
            reader.GetString(5));
        return (file, reader.GetInt32(6));
    }

    private static void CheckText(string value, string parameterName, int maxLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{parameterName} is longer than {maxLength} characters.", parameterName);
        }

        // Names end up in headers (Content-Disposition, mail attachments); control characters could split them.
        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"{parameterName} contains a control character.", parameterName);
        }
    }

    private sealed record FileRow(Guid Id, string Tenant, string Name, string ContentType, long Length, string Sha256);
}
