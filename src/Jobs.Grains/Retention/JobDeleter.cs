using Npgsql;
using Orleans.Core.Internal;

namespace Jobs.Retention;

/// <summary>
/// Deletes jobs in batches by deleting their grain storage rows: the index trigger then removes each job's index
/// row, count and log lines and records a <c>deleted</c> event, in the same transaction. Used by retention and by
/// bulk deletes, where going through each job grain would leave a cleared row behind per job.
/// </summary>
/// <remarks>
/// A job is deleted only if its stored status is still one of those asked for, checked on the row being deleted,
/// so a job that started meanwhile stays. An activation still holding a deleted job cannot bring it back: its
/// next write names a version that no longer exists and fails, and it is asked to deactivate straight after the
/// delete, so the next call loads the job afresh and finds nothing.
/// </remarks>
public sealed class JobDeleter(NpgsqlDataSource dataSource, IGrainFactory grainFactory)
{
    private const int DeactivateParallelism = 32;

    /// <summary>Deletes those of <paramref name="ids"/> whose status is one of <paramref name="statuses"/>; returns them.</summary>
    public async Task<IReadOnlyList<Guid>> DeleteAsync(
        IReadOnlyCollection<Guid> ids, IReadOnlyCollection<JobStatus> statuses, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(
            """
            DELETE FROM orleans_storage s
            USING jobs.job_index j
            WHERE j.id = ANY($1) AND j.grain_hash IS NOT NULL
              AND s.grainidhash = j.grain_hash AND s.graintypestring = 'job' AND s.payloadbinary IS NOT NULL
              AND (convert_from(s.payloadbinary, 'UTF8')::jsonb->>'id')::uuid = j.id
              AND convert_from(s.payloadbinary, 'UTF8')::jsonb->>'status' = ANY($2)
            RETURNING j.id
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. ids] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. statuses.Select(s => s.ToId())] });

        var deleted = new List<Guid>(ids.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                deleted.Add(reader.GetGuid(0));
            }
        }

        await DeactivateAsync(deleted, cancellationToken);
        return deleted;
    }

    /// <summary>
    /// Asks each job's activation, if there is one, to go. A job grain reads its state only when first called, so
    /// activating one just to deactivate it costs no database work.
    /// </summary>
    private async Task DeactivateAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = DeactivateParallelism, CancellationToken = cancellationToken },
            async (id, token) =>
                await grainFactory.GetGrain<IJobGrain>(id).Cast<IGrainManagementExtension>().DeactivateOnIdle(token));
}
