using Npgsql;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>A schedule as the index lists it; the grain holds the rest.</summary>
public sealed record ScriptScheduleEntry(Guid Id, string Tenant, Guid ScriptId, bool Enabled);

/// <summary>
/// Which schedules exist and whose they are (<c>infra/schema/040-script-schedules.sql</c>), so they can be listed:
/// grains cannot be enumerated. Only <see cref="ScriptScheduleGrain"/> writes it: after its own state on every change,
/// and again on activation. A failed write leaves the index behind until the schedule's next change or activation
/// (a missing row, or one outliving its schedule), so readers ask the grain and skip rows it does not know.
/// </summary>
public sealed class ScriptScheduleIndex(NpgsqlDataSource dataSource)
{
    /// <summary>Records the schedule or updates its row.</summary>
    public async Task UpsertAsync(Guid id, ScriptScheduleSpec spec, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO jobs.script_schedule AS s (id, tenant, script_id, enabled)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE
                SET tenant = excluded.tenant, script_id = excluded.script_id, enabled = excluded.enabled,
                    updated_at = now()
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = spec.Tenant });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = spec.ScriptId });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = spec.Enabled });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM jobs.script_schedule WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A page of the schedules of <paramref name="tenant"/> (every tenant's when null) in id order: at most
    /// <paramref name="limit"/> with ids after <paramref name="after"/>.
    /// </summary>
    public async Task<IReadOnlyList<ScriptScheduleEntry>> PageAsync(
        string? tenant, Guid? after, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, tenant, script_id, enabled
            FROM jobs.script_schedule
            WHERE ($1::text IS NULL OR tenant = $1) AND ($2::uuid IS NULL OR id > $2)
            ORDER BY id
            LIMIT $3
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<ScriptScheduleEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ScriptScheduleEntry(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetBoolean(3)));
        }

        return entries;
    }
}
