using Npgsql;
using NpgsqlTypes;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// A write-only stream that stores a partition's output in <c>rating.cdr_output_chunk</c>, 1 MiB per row, with
/// binary COPY in a transaction of its own. Nothing is visible until <see cref="CompleteAsync"/>; disposing it
/// before that discards everything written.
/// </summary>
public sealed class OutputChunkStream : Stream
{
    public const int ChunkSize = 1024 * 1024;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly NpgsqlBinaryImporter _importer;
    private readonly Guid _jobId;
    private readonly int _part;
    private readonly byte[] _buffer = new byte[ChunkSize];
    private int _filled;
    private int _seq;
    private long _written;

    private OutputChunkStream(
        NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlBinaryImporter importer, Guid jobId, int part)
    {
        _connection = connection;
        _transaction = transaction;
        _importer = importer;
        _jobId = jobId;
        _part = part;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    internal static async Task<OutputChunkStream> OpenAsync(
        NpgsqlConnection connection, Guid jobId, int part, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM rating.cdr_output_chunk WHERE job_id = $1 AND part = $2", connection))
        {
            clear.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
            clear.Parameters.Add(new NpgsqlParameter<int> { TypedValue = part });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        var importer = await connection.BeginBinaryImportAsync(
            "COPY rating.cdr_output_chunk (job_id, part, seq, data) FROM STDIN (FORMAT BINARY)", cancellationToken);
        return new OutputChunkStream(connection, transaction, importer, jobId, part);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, ChunkSize - _filled);
            buffer[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            _written += take;
            buffer = buffer[take..];
            if (_filled == ChunkSize)
            {
                WriteChunk();
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, ChunkSize - _filled);
            buffer[..take].CopyTo(_buffer.AsMemory(_filled));
            _filled += take;
            _written += take;
            buffer = buffer[take..];
            if (_filled == ChunkSize)
            {
                await WriteChunkAsync(cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes what is left and commits: the partition's output is stored whole.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            await WriteChunkAsync(cancellationToken);
        }

        // The connection takes commands again only once the importer is disposed.
        await _importer.CompleteAsync(cancellationToken);
        await _importer.DisposeAsync();
        await _transaction.CommitAsync(cancellationToken);
    }

    public override void Flush()
    {
        // Chunks are written whole; a partial one waits for more output or for CompleteAsync.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _importer.DisposeAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _importer.Dispose();
            _transaction.Dispose();
            _connection.Dispose();
        }

        base.Dispose(disposing);
    }

    private void WriteChunk()
    {
        _importer.StartRow();
        _importer.Write(_jobId, NpgsqlDbType.Uuid);
        _importer.Write(_part, NpgsqlDbType.Integer);
        _importer.Write(_seq++, NpgsqlDbType.Integer);
        _importer.Write(new ArraySegment<byte>(_buffer, 0, _filled), NpgsqlDbType.Bytea);
        _filled = 0;
    }

    private async Task WriteChunkAsync(CancellationToken cancellationToken)
    {
        await _importer.StartRowAsync(cancellationToken);
        await _importer.WriteAsync(_jobId, NpgsqlDbType.Uuid, cancellationToken);
        await _importer.WriteAsync(_part, NpgsqlDbType.Integer, cancellationToken);
        await _importer.WriteAsync(_seq++, NpgsqlDbType.Integer, cancellationToken);
        await _importer.WriteAsync(new ArraySegment<byte>(_buffer, 0, _filled), NpgsqlDbType.Bytea, cancellationToken);
        _filled = 0;
    }
}
