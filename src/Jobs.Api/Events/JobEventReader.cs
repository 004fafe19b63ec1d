using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;

namespace Jobs.Api.Events;

/// <summary>Reads <c>jobs.job_event</c> (infra/schema/021-job-logs-events.sql).</summary>
public sealed class JobEventReader(NpgsqlDataSource dataSource)
{
    private const string Columns = "seq, at, job_id, type, tenant, kind, data::text";

    /// <summary>The highest sequence number written so far, or 0.</summary>
    public async Task<long> LastSeqAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM jobs.job_event");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="after"/>, in sequence order.</summary>
    public async Task<IReadOnlyList<JobEvent>> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM jobs.job_event WHERE seq > $1 ORDER BY seq LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>
    /// The events in (<paramref name="after"/>, <paramref name="upTo"/>] that match <paramref name="filter"/>, in
    /// sequence order, read a page at a time: what a reconnecting stream missed.
    /// </summary>
    public async IAsyncEnumerable<JobEvent> ReadRangeAsync(
        long after, long upTo, JobEventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int page = 500;
        while (after < upTo)
        {
            await using var command = dataSource.CreateCommand();
            var sql = new StringBuilder($"SELECT {Columns} FROM jobs.job_event WHERE seq > $1 AND seq <= $2");
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = upTo });
            if (filter.JobId is { } jobId)
            {
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
                sql.Append(" AND job_id = $").Append(command.Parameters.Count);
            }

            if (filter.Type is { } type)
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
                sql.Append(" AND type = $").Append(command.Parameters.Count);
            }

            if (filter.Tenant is { } tenant)
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
                sql.Append(" AND tenant = $").Append(command.Parameters.Count);
            }

            command.CommandText = sql.Append(" ORDER BY seq LIMIT ").Append(page).ToString();
            var events = await ReadAsync(command, cancellationToken);
            foreach (var e in events)
            {
                yield return e;
            }

            after = events.Count == page ? events[^1].Seq : upTo;
        }
    }

    /// <summary>Deletes up to <paramref name="limit"/> events older than <paramref name="before"/>.</summary>
    public async Task<long> TrimAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT jobs.trim_job_events($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<IReadOnlyList<JobEvent>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<JobEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new JobEvent(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetGuid(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6)));
        }

        return events;
    }
}
