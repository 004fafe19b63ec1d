using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Registry;

/// <summary>
/// Queries over the job index table (infra/schema/002-jobs.sql), which a trigger keeps in step with the job grains'
/// stored state. Listings page in a <see cref="JobSort"/> order with a keyset cursor, so a page costs the same on page 1
/// and page 20,000.
/// </summary>
public sealed class JobIndex(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, type, tenant, status, attempts_made, attempts, priority, created_at, due_at, started_at, finished_at, " +
        "failed_reason, progress, summary";

    public async Task<JobPage> ListAsync(string type, JobQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Math.Clamp(query.Limit, 1, 500);
        var sort = query.Sort;
        if (sort.ByFinishTime() && query.Tenant is not null)
        {
            // The finish-time index has no tenant column: a tenant whose jobs all finished long ago would make each page
            // read past every newer finished job of the type (0.8 s on a million rows), so it is refused, not slow.
            throw new ArgumentException("Orders by finish time are not served for one tenant's jobs.", nameof(query));
        }

        var (column, direction) = (sort.ByFinishTime() ? "finished_at" : "created_at", sort.IsDescending() ? "DESC" : "ASC");
        await using var command = dataSource.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM jobs.job_index WHERE type = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        if (sort.ByFinishTime())
        {
            // Spelled out so the planner matches the partial index job_index_type_finished whatever status is asked.
            sql.Append(" AND status IN ('completed', 'failed') AND finished_at IS NOT NULL");
        }

        AddFilters(sql, command, query);
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {column} {direction}, id {direction} LIMIT {limit + 1}");
        command.CommandText = sql.ToString();

        var items = new List<JobListItem>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ReadItem(reader));
            }
        }

        if (items.Count <= limit)
        {
            return new JobPage(items, null);
        }

        items.RemoveAt(limit);
        var last = items[^1];
        var at = sort.ByFinishTime() ? last.FinishedAt!.Value : last.CreatedAt;
        return new JobPage(items, JobCursor.Encode(sort, at, last.Id));
    }

    public async Task<StatusCounts> CountAsync(string type, string? tenant, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT status, n FROM jobs.count_jobs($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });

        var counts = new Dictionary<JobStatus, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (JobStatuses.TryParse(reader.GetString(0), out var status))
            {
                counts[status] = reader.GetInt64(1);
            }
        }

        return new StatusCounts(
            counts.GetValueOrDefault(JobStatus.Wait),
            counts.GetValueOrDefault(JobStatus.Delayed),
            counts.GetValueOrDefault(JobStatus.Active),
            counts.GetValueOrDefault(JobStatus.Completed),
            counts.GetValueOrDefault(JobStatus.Failed));
    }

    /// <summary>
    /// Unfinished jobs of a type to wake: every one due before <paramref name="horizon"/> (active ones included, so a
    /// job whose activation vanished without recording its end is recovered), and any unfinished job last written
    /// by a silo not in <paramref name="liveSilos"/>. Waking a job that is fine costs one no-op call.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> FindToWakeAsync(
        string type, DateTimeOffset horizon, IReadOnlyCollection<string> liveSilos, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id FROM jobs.job_index
            WHERE type = $1 AND status IN ('wait', 'delayed', 'active')
              AND (due_at <= $2 OR silo IS NULL OR NOT (silo = ANY($3)))
            ORDER BY due_at
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        command.Parameters.Add(new NpgsqlParameter { Value = horizon.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = liveSilos.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadIdsAsync(command, cancellationToken);
    }

    /// <summary>Folds the count deltas written by job transitions into the counts; returns how many it folded.</summary>
    public async Task<long> CompactCountsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT jobs.compact_job_counts()");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Unfinished jobs last written by <paramref name="silo"/>: the ones to wake when it dies.</summary>
    public async Task<IReadOnlyList<Guid>> FindUnfinishedOnSiloAsync(string silo, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id FROM jobs.job_index WHERE silo = $1 AND status IN ('wait', 'delayed', 'active')");
        command.Parameters.Add(new NpgsqlParameter { Value = silo });
        return await ReadIdsAsync(command, cancellationToken);
    }

    private static void AddFilters(StringBuilder sql, NpgsqlCommand command, JobQuery query)
    {
        void Add(string predicate, object value, NpgsqlDbType? dbType = null)
        {
            var parameter = new NpgsqlParameter { Value = value };
            if (dbType is { } t)
            {
                parameter.NpgsqlDbType = t;
            }

            command.Parameters.Add(parameter);
            sql.Append(" AND ").Append(predicate.Replace("$?", "$" + command.Parameters.Count, StringComparison.Ordinal));
        }

        if (query.Status is { } status)
        {
            Add("status = $?", status.ToId());
        }

        if (query.Tenant is { } tenant)
        {
            Add("tenant = $?", tenant);
        }

        if (query.From is { } from)
        {
            Add("created_at >= $?", from.UtcDateTime, NpgsqlDbType.TimestampTz);
        }

        if (query.To is { } to)
        {
            Add("created_at < $?", to.UtcDateTime, NpgsqlDbType.TimestampTz);
        }

        if (query.Cursor is { } cursor && JobCursor.TryDecode(cursor, out var sort, out var at, out var id) && sort == query.Sort)
        {
            // The row comparison after the last row shown; the index scan starts right there.
            var column = sort.ByFinishTime() ? "finished_at" : "created_at";
            var after = sort.IsDescending() ? "<" : ">";
            Add($"({column}, id) {after} ($?", at.UtcDateTime, NpgsqlDbType.TimestampTz);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            sql.Append(", $").Append(command.Parameters.Count).Append(')');
        }
    }

    private static JobListItem ReadItem(NpgsqlDataReader reader)
    {
        var status = JobStatuses.TryParse(reader.GetString(3), out var parsed)
            ? parsed
            : throw new InvalidDataException($"Unknown status '{reader.GetString(3)}' in the job index.");
        return new JobListItem
        {
            Id = reader.GetGuid(0),
            Type = reader.GetString(1),
            Tenant = reader.GetString(2),
            Status = status,
            AttemptsMade = reader.GetInt32(4),
            Attempts = reader.GetInt32(5),
            Priority = reader.GetInt32(6),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(7),
            DueAt = reader.GetFieldValue<DateTimeOffset>(8),
            StartedAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
            FinishedAt = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
            FailedReason = reader.IsDBNull(11) ? null : reader.GetString(11),
            Progress = reader.GetInt16(12),
            Summary = reader.IsDBNull(13) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(13)),
        };
    }

    private static async Task<IReadOnlyList<Guid>> ReadIdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}

/// <summary>
/// The opaque listing cursor: the order, and the sort time (creation or finish) and id of the last row of the previous
/// page. Cursors of the default order keep their first form (no order prefix), so cursors saved by bulk jobs that
/// began before orders existed still resume.
/// </summary>
public static class JobCursor
{
    public static string Encode(JobSort sort, DateTimeOffset at, Guid id)
    {
        var prefix = sort == JobSort.CreatedDesc ? "" : sort.ToId() + ":";
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{prefix}{at.UtcTicks}.{id:N}")));
    }

    public static bool TryDecode(string cursor, out JobSort sort, out DateTimeOffset at, out Guid id)
    {
        sort = JobSort.CreatedDesc;
        at = default;
        id = default;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).AsSpan();
            var colon = text.IndexOf(':');
            if (colon >= 0)
            {
                if (!JobSorts.TryParse(text[..colon].ToString(), out sort) || sort == JobSort.CreatedDesc)
                {
                    return false;
                }

                text = text[(colon + 1)..];
            }

            var dot = text.IndexOf('.');
            if (dot <= 0 || !long.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
                || !Guid.TryParseExact(text[(dot + 1)..], "N", out id))
            {
                return false;
            }

            at = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
