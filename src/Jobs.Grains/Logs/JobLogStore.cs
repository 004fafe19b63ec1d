using Npgsql;
using NpgsqlTypes;

namespace Jobs.Logs;

/// <summary>
/// The durable job log, <c>jobs.job_log</c> (infra/schema/021-job-logs-events.sql). The job grain appends the lines
/// a handler wrote in batches, and each batch also goes on the job event feed, in the same statement.
/// </summary>
public sealed class JobLogStore(NpgsqlDataSource dataSource)
{
    /// <summary>Longer messages are cut to this many characters.</summary>
    public const int MaxMessageLength = 8_000;

    private const int MaxLevelLength = 20;

    /// <summary>Appends <paramref name="lines"/> in their order and records one <c>log</c> event for them.</summary>
    public async Task AppendAsync(
        Guid jobId, string type, string tenant, IReadOnlyList<JobLogLine> lines, CancellationToken cancellationToken)
    {
        if (lines.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            """
            WITH lines AS (
                INSERT INTO jobs.job_log (job_id, at, attempt, level, message)
                SELECT $1, l.at, l.attempt, l.level, l.message
                FROM unnest($2::timestamptz[], $3::integer[], $4::text[], $5::text[])
                    WITH ORDINALITY AS l(at, attempt, level, message, n)
                ORDER BY l.n
                RETURNING id, at, attempt, level, message
            )
            INSERT INTO jobs.job_event (job_id, type, tenant, kind, data)
            SELECT $1, $6, $7, 'log', jsonb_build_object('lines', jsonb_agg(jsonb_build_object(
                'id', id, 'at', at, 'attempt', attempt, 'level', level, 'message', message) ORDER BY id))
            FROM lines
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = lines.Select(line => line.At.UtcDateTime).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. lines.Select(line => line.Attempt)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. lines.Select(line => Cut(line.Level, MaxLevelLength))] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. lines.Select(line => Cut(line.Message, MaxMessageLength))] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> lines after line <paramref name="after"/>, oldest first.</summary>
    public async Task<JobLogPage> PageAsync(Guid jobId, long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, at, attempt, level, message FROM jobs.job_log
            WHERE job_id = $1 AND id > $2 ORDER BY id LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });

        var lines = new List<JobLogEntry>(Math.Min(limit + 1, 1_000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new JobLogEntry(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.GetString(3),
                reader.GetString(4)));
        }

        if (lines.Count <= limit)
        {
            return new JobLogPage(lines, null);
        }

        lines.RemoveAt(limit);
        return new JobLogPage(lines, lines[^1].Id);
    }

    private static string Cut(string? text, int max) =>
        text is null ? "" : text.Length <= max ? text : text[..max];
}

/// <summary>One stored log line; <see cref="Id"/> orders a job's lines and pages them.</summary>
public sealed record JobLogEntry(long Id, DateTimeOffset At, int Attempt, string Level, string Message);

/// <summary>A page of log lines and the id to pass as <c>after</c> for the next, or null at the end.</summary>
public sealed record JobLogPage(IReadOnlyList<JobLogEntry> Lines, long? Next);
