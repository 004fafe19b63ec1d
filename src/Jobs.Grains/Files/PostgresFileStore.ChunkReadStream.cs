using System.Buffers;
using System.Data;
using Npgsql;

namespace Jobs.Files;

public sealed partial class PostgresFileStore
{
    /// <summary>
    /// A read-only, seekable view of one stored file that fetches the chunk under the current position when it
    /// needs it, one query per chunk, and keeps only that chunk in memory.
    /// </summary>
    private sealed class ChunkReadStream : Stream
    {
        private const string ChunkQuery = "SELECT data FROM jobs.file_chunk WHERE file_id = $1 AND seq = $2";

        private readonly NpgsqlDataSource _dataSource;
        private readonly Guid _fileId;
        private readonly long _length;
        private readonly int _chunkSize;
        private byte[]? _chunk;
        private int _chunkSeq = -1;
        private int _chunkLength;
        private long _position;
        private bool _disposed;

        public ChunkReadStream(NpgsqlDataSource dataSource, Guid fileId, long length, int chunkSize)
        {
            _dataSource = dataSource;
            _fileId = fileId;
            _length = length;
            _chunkSize = chunkSize;
        }

        public override bool CanRead => !_disposed;

        public override bool CanSeek => !_disposed;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!TryGetSeq(buffer.Length, out var seq))
            {
                return 0;
            }

            if (seq != _chunkSeq)
            {
                using var command = CreateChunkCommand(seq);
                using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow);
                if (!reader.Read())
                {
                    throw MissingChunk(seq);
                }

                using var column = reader.GetStream(0);
                FillChunk(seq, column.ReadAtLeast(RentChunk(), ExpectedLength(seq), throwOnEndOfStream: false));
            }

            return CopyOut(buffer);
        }

        public override Task<int> ReadAsync(
            byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(
            Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!TryGetSeq(buffer.Length, out var seq))
            {
                return 0;
            }

            if (seq != _chunkSeq)
            {
                await using var command = CreateChunkCommand(seq);
                await using var reader = await command.ExecuteReaderAsync(
                    CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    throw MissingChunk(seq);
                }

                await using var column = await reader.GetStreamAsync(0, cancellationToken);
                var read = await column.ReadAtLeastAsync(
                    RentChunk(), ExpectedLength(seq), throwOnEndOfStream: false, cancellationToken);
                FillChunk(seq, read);
            }

            return CopyOut(buffer.Span);
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                SeekOrigin.End => _length + offset,
                _ => throw new ArgumentOutOfRangeException(nameof(origin)),
            };
            ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
            _position = target;
            return target;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException("Stored files are read-only.");

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("Stored files are read-only.");

        protected override void Dispose(bool disposing)
        {
            if (_chunk is { } chunk)
            {
                _chunk = null;
                ArrayPool<byte>.Shared.Return(chunk);
            }

            _disposed = true;
            base.Dispose(disposing);
        }

        private bool TryGetSeq(int requested, out int seq)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            seq = (int)(_position / _chunkSize);
            return requested > 0 && _position < _length;
        }

        private NpgsqlCommand CreateChunkCommand(int seq)
        {
            var command = _dataSource.CreateCommand(ChunkQuery);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = _fileId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = seq });
            return command;
        }

        private int ExpectedLength(int seq) => (int)Math.Min(_chunkSize, _length - ((long)seq * _chunkSize));

        private byte[] RentChunk()
        {
            _chunkSeq = -1;
            return _chunk ??= ArrayPool<byte>.Shared.Rent(_chunkSize);
        }

        private void FillChunk(int seq, int read)
        {
            if (read != ExpectedLength(seq))
            {
                throw new IOException(
                    $"Chunk {seq} of file {_fileId} holds {read} bytes where {ExpectedLength(seq)} were expected.");
            }

            _chunkSeq = seq;
            _chunkLength = read;
        }

        private int CopyOut(Span<byte> destination)
        {
            var offset = (int)(_position - ((long)_chunkSeq * _chunkSize));
            var count = Math.Min(destination.Length, _chunkLength - offset);
            _chunk.AsSpan(offset, count).CopyTo(destination);
            _position += count;
            return count;
        }

        private IOException MissingChunk(int seq) =>
            new($"Chunk {seq} of file {_fileId} is missing: the file was deleted while it was read.");
    }
}
