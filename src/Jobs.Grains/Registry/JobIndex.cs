using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Registry;

/// <summary>
/// Queries over the job index table (infra/schema/002-jobs.sql), which a trigger keeps in step with the job grains'
/// stored state. Listings page newest first with a keyset cursor, so a page costs the same on page 1 and page 20,000.
/// </summary>
public sealed class JobIndex(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, type, tenant, status, attempts_made, attempts, priority, created_at, due_at, started_at, finished_at, " +
        "failed_reason, progress, summary";

    public async Task<JobPage> ListAsync(string type, JobQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Math.Clamp(query.Limit, 1, 500);
        await using var command = dataSource.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM jobs.job_index WHERE type = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        AddFilters(sql, command, query);
        sql.Append(" ORDER BY created_at DESC, id DESC LIMIT ").Append(limit + 1);
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
        return new JobPage(items, JobCursor.Encode(items[^1].CreatedAt, items[^1].Id));
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

        if (query.Cursor is { } cursor && JobCursor.TryDecode(cursor, out var createdAt, out var id))
        {
            Add("(created_at, id) < ($?", createdAt.UtcDateTime, NpgsqlDbType.TimestampTz);
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

/// <summary>The opaque listing cursor: the creation time and id of the last row of the previous page.</summary>
public static class JobCursor
{
    public static string Encode(DateTimeOffset createdAt, Guid id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{createdAt.UtcTicks}.{id:N}")));

    public static bool TryDecode(string cursor, out DateTimeOffset createdAt, out Guid id)
    {
        createdAt = default;
        id = default;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
                || !Guid.TryParseExact(text.AsSpan(dot + 1), "N", out id))
            {
                return false;
            }

            createdAt = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
