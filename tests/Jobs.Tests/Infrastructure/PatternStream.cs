using System.Security.Cryptography;

namespace Jobs.Tests.Infrastructure;

/// <summary>
/// A read-only stream of <paramref name="length"/> pseudo-random bytes made on the fly from a seed, so a test can send
/// hundreds of megabytes without holding them; the same seed always gives the same bytes, and <see cref="Sha256"/>
/// tells what was handed out.
/// </summary>
public sealed class PatternStream(long length, ulong seed = 0x9E3779B97F4A7C15) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private ulong _state = seed;
    private long _position;

    private string? _disposedSha256;

    /// <summary>
    /// Lower-case hex SHA-256 of the bytes handed out so far: of the whole stream once it is read to its end. It stays
    /// readable after disposal (an HTTP client disposes the content it sent).
    /// </summary>
    public string Sha256 => _disposedSha256 ?? Convert.ToHexStringLower(_hash.GetCurrentHash());

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
        for (var i = 0; i < count; i++)
        {
            // xorshift64: fast, and good enough that the content does not compress away.
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            buffer[i] = (byte)_state;
        }

        _hash.AppendData(buffer[..count]);
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
        if (disposing && _disposedSha256 is null)
        {
            _disposedSha256 = Sha256;
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
