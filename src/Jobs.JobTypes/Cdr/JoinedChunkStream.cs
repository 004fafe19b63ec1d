using System.Data;
using Npgsql;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Reads a re-rate's output chunks in partition and sequence order as one stream. The query streams its rows
/// (sequential access), so one chunk at most is in memory, whatever the output's size.
/// </summary>
internal sealed class JoinedChunkStream : Stream
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _command;
    private readonly NpgsqlDataReader _reader;
    private Stream? _chunk;
    private bool _ended;

    private JoinedChunkStream(NpgsqlConnection connection, NpgsqlCommand command, NpgsqlDataReader reader)
    {
        _connection = connection;
        _command = command;
        _reader = reader;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public static async Task<JoinedChunkStream> OpenAsync(NpgsqlConnection connection, Guid jobId, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(
            "SELECT data FROM rating.cdr_output_chunk WHERE job_id = $1 ORDER BY part, seq", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        return new JoinedChunkStream(connection, command, reader);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!_ended && !buffer.IsEmpty)
        {
            if (_chunk is null)
            {
                if (!await _reader.ReadAsync(cancellationToken))
                {
                    _ended = true;
                    break;
                }

                _chunk = await _reader.GetStreamAsync(0, cancellationToken);
            }

            var read = await _chunk.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            await _chunk.DisposeAsync();
            _chunk = null;
        }

        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_chunk is not null)
        {
            await _chunk.DisposeAsync();
        }

        await _reader.DisposeAsync();
        await _command.DisposeAsync();
        await _connection.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chunk?.Dispose();
            _reader.Dispose();
            _command.Dispose();
            _connection.Dispose();
        }

        base.Dispose(disposing);
    }
}
