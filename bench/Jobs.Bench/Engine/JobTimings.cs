using Npgsql;

namespace Jobs.Bench.Engine;

/// <summary>Reads what the engine recorded about a batch of jobs (one tenant per batch) from the job index.</summary>
internal sealed class JobTimings(NpgsqlDataSource database)
{
    /// <summary>Waits until every job of the tenant has completed; returns the last finish time.</summary>
    public async Task<DateTimeOffset> WaitCompletedAsync(string tenant, int count, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            // The counts table answers in microseconds; scanning the index every poll would load the server we measure.
            await using var command = database.CreateCommand(
                "SELECT coalesce(sum(n), 0)::bigint FROM jobs.count_jobs('noop', $1) WHERE status = 'completed'");
            command.Parameters.Add(new NpgsqlParameter { Value = tenant });
            var completed = (long)(await command.ExecuteScalarAsync())!;
            if (completed >= count)
            {
                return await LastFinishedAsync(tenant);
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{tenant}: {completed} of {count} jobs completed in {timeout}.");
            }

            await Task.Delay(50);
        }
    }

    private async Task<DateTimeOffset> LastFinishedAsync(string tenant)
    {
        await using var command = database.CreateCommand("SELECT max(finished_at) FROM jobs.job_index WHERE tenant = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync())!, TimeSpan.Zero);
    }

    /// <summary>Start, due and finish times of every job of the tenant, by id.</summary>
    public async Task<Dictionary<Guid, (DateTimeOffset Due, DateTimeOffset Started, DateTimeOffset Finished)>> ReadAsync(string tenant)
    {
        await using var command = database.CreateCommand(
            "SELECT id, due_at, started_at, finished_at FROM jobs.job_index WHERE tenant = $1 AND status = 'completed'");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        var times = new Dictionary<Guid, (DateTimeOffset, DateTimeOffset, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            times[reader.GetGuid(0)] = (reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3));
        }

        return times;
    }
}
