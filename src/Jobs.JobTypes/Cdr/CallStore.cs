using System.Globalization;
using System.Text;
using Npgsql;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Reads the calls cdr jobs kept (<c>rating.call</c>) for re-rates of stored calls. Calls count only once the job
/// that kept them completed, and a file's calls count once: when several completed jobs kept the same file, the
/// latest one's are read.
/// </summary>
public sealed class CallStore(NpgsqlDataSource dataSource)
{
    /// <summary>The completed jobs whose kept calls make up the tenant's stored calls, latest per file.</summary>
    public async Task<IReadOnlyList<Guid>> KeepingJobsAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (file_id) job_id
            FROM rating.cdr_run
            WHERE tenant = $1 AND stores_calls AND completed_at IS NOT NULL
            ORDER BY file_id, completed_at DESC
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(reader.GetGuid(0));
        }

        return jobs;
    }

    /// <summary>
    /// How many of the jobs' calls started in each of the ranges [bounds[i], bounds[i + 1]); bounds rise and the
    /// last is exclusive.
    /// </summary>
    public async Task<long[]> CountAsync(
        string tenant, IReadOnlyList<Guid> jobs, IReadOnlyList<DateTime> bounds, CancellationToken cancellationToken)
    {
        var counts = new long[bounds.Count - 1];
        if (jobs.Count == 0)
        {
            return counts;
        }

        await using var command = dataSource.CreateCommand("""
            SELECT width_bucket(start, $4::timestamp[]) AS part, count(*)
            FROM rating.call
            WHERE tenant = $1 AND job_id = ANY($2) AND start >= $3[1] AND start < $3[array_length($3, 1)]
            GROUP BY 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. jobs] });
        command.Parameters.Add(Times([.. bounds]));

        // width_bucket gives 0 below the first inner bound, i from the i-th: the partition's index.
        command.Parameters.Add(Times([.. bounds.Skip(1).SkipLast(1)]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>
    /// The jobs' calls that started in [<paramref name="from"/>, <paramref name="to"/>), in start order, as an Asterisk
    /// Master.csv (no header; dst, start, billsec, disposition and uniqueid filled), streamed straight from COPY. A
    /// call kept without a disposition is written ANSWERED, which is how its file's rating read it.
    /// </summary>
    public async Task<Stream> OpenExportAsync(
        string tenant, IReadOnlyList<Guid> jobs, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        // COPY takes no parameters: the values are written as literals, each of a form that cannot escape its quotes.
        var jobList = jobs.Count == 0 ? "NULL" : string.Join(",", jobs.Select(job => $"'{job:D}'"));
        var sql = $"""
            COPY (SELECT '', '', destination, '', '', '', '', '', '', to_char(start, 'YYYY-MM-DD HH24:MI:SS'), '', '', '',
                         billsec, coalesce(disposition, 'ANSWERED'), '', coalesce(call_id, '')
                  FROM rating.call
                  WHERE tenant = {Literal(tenant)} AND job_id IN ({jobList})
                    AND start >= {Literal(Timestamp(from))} AND start < {Literal(Timestamp(to))}
                  ORDER BY start, job_id, line)
            TO STDOUT (FORMAT csv)
            """;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            // Npgsql gives a text COPY as characters; the rerater reads UTF-8, so they are encoded back on the way.
            var copy = await connection.BeginTextExportAsync(sql, cancellationToken);
            return new OwningStream(copy, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static NpgsqlParameter<DateTime[]> Times(DateTime[] times) =>
        new() { TypedValue = times, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Timestamp };

    private static string Timestamp(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The UTF-8 bytes of a COPY's text, as a read stream that disposes its connection with it.</summary>
    private sealed class OwningStream(TextReader text, NpgsqlConnection connection) : Stream
    {
        private readonly char[] _chars = new char[16 * 1024];
        private readonly byte[] _bytes = new byte[Encoding.UTF8.GetMaxByteCount(16 * 1024)];

        // Keeps half a surrogate pair that ends one read for the next.
        private readonly Encoder _encoder = Encoding.UTF8.GetEncoder();
        private int _offset;
        private int _count;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset == _count)
            {
                var chars = await text.ReadAsync(_chars.AsMemory(), cancellationToken);
                if (chars == 0)
                {
                    return 0;
                }

                _count = _encoder.GetBytes(_chars, 0, chars, _bytes, 0, flush: false);
                _offset = 0;
            }

            var take = Math.Min(buffer.Length, _count - _offset);
            _bytes.AsMemory(_offset, take).CopyTo(buffer);
            _offset += take;
            return take;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            text.Dispose();
            await connection.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                text.Dispose();
                connection.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
