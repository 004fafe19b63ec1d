using System.Text;
using Jobs.Rating.Cdrs;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Copies a partition's calls into <c>rating.call</c> with binary COPY as the re-rate reads them. Text fields are
/// decoded into reused buffers, so keeping a call allocates nothing.
/// </summary>
internal sealed class CallWriter : ICdrCallSink, IAsyncDisposable
{
    private const string Copy = """
        COPY rating.call (tenant, start, destination, billsec, disposition, call_id, job_id, part, line)
        FROM STDIN (FORMAT BINARY)
        """;

    private readonly NpgsqlBinaryImporter _importer;
    private readonly string _tenant;
    private readonly Guid _jobId;
    private readonly int _part;
    private readonly char[] _destination = new char[256];
    private readonly char[] _disposition = new char[64];
    private readonly char[] _callId = new char[256];
    private long _kept;

    private CallWriter(NpgsqlBinaryImporter importer, string tenant, Guid jobId, int part)
    {
        _importer = importer;
        _tenant = tenant;
        _jobId = jobId;
        _part = part;
    }

    public static async Task<CallWriter> OpenAsync(
        NpgsqlConnection connection, string tenant, Guid jobId, int part, CancellationToken cancellationToken) =>
        new(await connection.BeginBinaryImportAsync(Copy, cancellationToken), tenant, jobId, part);

    public void Take(in CdrCall call)
    {
        _importer.StartRow();
        _importer.Write(_tenant, NpgsqlDbType.Text);
        _importer.Write(call.Start, NpgsqlDbType.Timestamp);
        _importer.Write(Text(call.Destination, _destination), NpgsqlDbType.Text);
        _importer.Write(call.BilledSeconds, NpgsqlDbType.Integer);
        if (call.HasDisposition)
        {
            _importer.Write(Text(call.Disposition, _disposition), NpgsqlDbType.Text);
        }
        else
        {
            _importer.WriteNull();
        }

        if (call.CallId.IsEmpty)
        {
            _importer.WriteNull();
        }
        else
        {
            _importer.Write(Text(call.CallId, _callId), NpgsqlDbType.Text);
        }

        _importer.Write(_jobId, NpgsqlDbType.Uuid);
        _importer.Write(_part, NpgsqlDbType.Integer);
        _importer.Write(call.Line, NpgsqlDbType.Bigint);
        _kept++;
    }

    /// <summary>Ends the copy, leaving the connection free for the next command; returns how many calls it kept.</summary>
    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        await _importer.CompleteAsync(cancellationToken);
        await _importer.DisposeAsync();
        return _kept;
    }

    public ValueTask DisposeAsync() => _importer.DisposeAsync();

    /// <summary>The field as text in <paramref name="buffer"/>, or in a new array when it is longer.</summary>
    private static ArraySegment<char> Text(ReadOnlySpan<byte> utf8, char[] buffer)
    {
        if (Encoding.UTF8.GetMaxCharCount(utf8.Length) > buffer.Length)
        {
            return Encoding.UTF8.GetChars(utf8.ToArray());
        }

        return new ArraySegment<char>(buffer, 0, Encoding.UTF8.GetChars(utf8, buffer));
    }
}
