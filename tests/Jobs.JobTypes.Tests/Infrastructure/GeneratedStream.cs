using System.Security.Cryptography;

namespace Jobs.JobTypes.Tests.Infrastructure;

/// <summary>
/// A read-only stream of <see cref="Length"/> pseudo-random bytes made on the fly, so a test can store a file far
/// larger than it would want to hold in memory. The same seed gives the same bytes; the SHA-256 of what was read is
/// available once the stream is read to its end.
/// </summary>
public sealed class GeneratedStream(long length, ulong seed = 0x9E3779B97F4A7C15) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private ulong _state = seed;
    private long _position;

    /// <summary>Lower-case hex SHA-256 of the bytes handed out so far.</summary>
    public string Sha256 => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        var span = buffer[..count];
        for (var i = 0; i < span.Length; i++)
        {
            // xorshift64: cheap, allocation-free and deterministic.
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            span[i] = (byte)_state;
        }

        _hash.AppendData(span);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _hash.Dispose();
        base.Dispose(disposing);
    }
}
