using System.Buffers.Binary;
using System.Text;
using Jobs.Rating.Cdrs;
using Npgsql;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Copies a partition's calls into <c>rating.call</c> with binary COPY as the re-rate reads them. The rows are
/// encoded here, in PostgreSQL's binary COPY format, straight from the input's UTF-8 into a buffer that goes to the
/// server whole: no text is decoded and encoded again, and keeping a call allocates nothing.
/// </summary>
/// <remarks>
/// Millions of calls go through here, so the general importer's cost per value (a type lookup and a write call for
/// each of nine columns) was most of a re-rate's own CPU beside the rating. The format is PostgreSQL's documented
/// one: a signature and flags, then per row a field count and each field as a length and its bytes (-1 for null),
/// then -1 as the trailer.
/// </remarks>
internal sealed class CallWriter : ICdrCallSink, IAsyncDisposable
{
    private const string Copy = """
        COPY rating.call (tenant, start, destination, billsec, disposition, call_id, job_id, part, line)
        FROM STDIN (FORMAT BINARY)
        """;

    private const short Columns = 9;
    private const int BufferSize = 64 * 1024;

    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).Ticks;

    /// <summary>"PGCOPY\n\377\r\n\0".</summary>
    private static ReadOnlySpan<byte> Signature => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    private readonly NpgsqlRawCopyStream _copy;
    private readonly byte[] _tenant;
    private readonly byte[] _jobId = new byte[16];
    private readonly int _part;
    private byte[] _buffer = new byte[BufferSize];
    private int _filled;
    private long _kept;
    private bool _completed;

    private CallWriter(NpgsqlRawCopyStream copy, string tenant, Guid jobId, int part)
    {
        _copy = copy;
        _tenant = Encoding.UTF8.GetBytes(tenant);
        jobId.TryWriteBytes(_jobId, bigEndian: true, out _);
        _part = part;

        // Header: signature, flags (none), header extension length (none).
        Bytes(Signature);
        Int32(0);
        Int32(0);
    }

    public static async Task<CallWriter> OpenAsync(
        NpgsqlConnection connection, string tenant, Guid jobId, int part, CancellationToken cancellationToken) =>
        new(await connection.BeginRawBinaryCopyAsync(Copy, cancellationToken), tenant, jobId, part);

    public void Take(in CdrCall call)
    {
        Int16(Columns);
        Text(_tenant);
        Int32(8);
        Int64((call.Start.Ticks - PostgresEpochTicks) / 10);
        Text(call.Destination);
        Int32(4);
        Int32(call.BilledSeconds);
        if (call.HasDisposition)
        {
            Text(call.Disposition);
        }
        else
        {
            Int32(-1);
        }

        if (call.CallId.IsEmpty)
        {
            Int32(-1);
        }
        else
        {
            Text(call.CallId);
        }

        Int32(16);
        Bytes(_jobId);
        Int32(4);
        Int32(_part);
        Int32(8);
        Int64(call.Line);
        _kept++;
    }

    /// <summary>Ends the copy, leaving the connection free for the next command; returns how many calls it kept.</summary>
    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        Int16(-1);
        await _copy.WriteAsync(_buffer.AsMemory(0, _filled), cancellationToken);
        _filled = 0;
        _completed = true;
        await _copy.DisposeAsync();
        return _kept;
    }

    /// <summary>Without <see cref="CompleteAsync"/>, cancels the copy, which aborts the transaction.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        try
        {
            await _copy.CancelAsync();
        }
        finally
        {
            await _copy.DisposeAsync();
        }
    }

    /// <summary>A text field. PostgreSQL takes only valid UTF-8 without NUL; anything else is decoded leniently first.</summary>
    private void Text(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8) && !utf8.Contains((byte)0))
        {
            Int32(utf8.Length);
            Bytes(utf8);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8).Replace('\0', '\uFFFD'));
        Int32(bytes.Length);
        Bytes(bytes);
    }

    /// <summary>Makes room for <paramref name="bytes"/> more, sending what is buffered when it does not fit.</summary>
    private Span<byte> Room(int bytes)
    {
        if (_filled + bytes > _buffer.Length)
        {
            _copy.Write(_buffer, 0, _filled);
            _filled = 0;
            if (bytes > _buffer.Length)
            {
                _buffer = new byte[bytes];
            }
        }

        return _buffer.AsSpan(_filled);
    }

    private void Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(Room(2), value);
        _filled += 2;
    }

    private void Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Room(4), value);
        _filled += 4;
    }

    private void Int64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(Room(8), value);
        _filled += 8;
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Room(bytes.Length));
        _filled += bytes.Length;
    }
}
