using System.Text.Json;
using Jobs.Handlers;
using Npgsql;

namespace Jobs.Bulk;

/// <summary>A bulk job's place: the time bound it fixed at its start, the type and page it is on, and its tallies.</summary>
public sealed record BulkCheckpoint
{
    /// <summary>Jobs created at or after this are left alone: the bulk acts on what existed when it began.</summary>
    public required DateTimeOffset UpTo { get; init; }

    /// <summary>How many jobs matched when the bulk job began; the base of its progress.</summary>
    public long Total { get; init; }

    public int TypeIndex { get; init; }

    /// <summary>The listing cursor after the last batch acted on, within the current type.</summary>
    public string? Cursor { get; init; }

    public long Matched { get; init; }

    public long Acted { get; init; }
}

/// <summary>Stores bulk jobs' checkpoints in <c>jobs.bulk_checkpoint</c> (infra/schema/022-bulk.sql).</summary>
public sealed class BulkCheckpoints(NpgsqlDataSource dataSource)
{
    public async Task<BulkCheckpoint?> LoadAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT state::text FROM jobs.bulk_checkpoint WHERE job_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<BulkCheckpoint>(json, JobJson.Options)
            : null;
    }

    public async Task SaveAsync(Guid jobId, BulkCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO jobs.bulk_checkpoint (job_id, state) VALUES ($1, $2::jsonb)
            ON CONFLICT (job_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(checkpoint, JobJson.Options) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM jobs.bulk_checkpoint WHERE job_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How many jobs match the filter, over the given types, created before <paramref name="upTo"/>.</summary>
    public async Task<long> CountAsync(
        IReadOnlyList<string> types, BulkFilter filter, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*) FROM jobs.job_index
            WHERE type = ANY($1) AND created_at < $2
              AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR tenant = $4)
              AND ($5::timestamptz IS NULL OR created_at >= $5)
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. types] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = upTo.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Status?.ToId() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = filter.From is { } from ? from.UtcDateTime : DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz,
        });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
