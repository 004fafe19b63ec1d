using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.Retention;

/// <summary>
/// Removes finished jobs past their queue's retention: completed and failed jobs older than their age limit, and
/// the oldest beyond their count limit. Runs from each queue's sweep reminder, in batches; never touches a job that
/// is not finished (the delete re-checks the stored status).
/// </summary>
public sealed partial class JobRetention(
    NpgsqlDataSource dataSource, JobDeleter deleter, TimeProvider clock, ILogger<JobRetention> logger)
{
    public const int Batch = 1_000;

    /// <summary>One pass deletes at most this many jobs per status; the next pass goes on.</summary>
    public const int MaxPerPass = 50_000;

    /// <summary>Deletes what the settings say has expired; returns how many jobs went.</summary>
    public async Task<int> RunAsync(string type, QueueSettings settings, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var completed = await RunAsync(
            type, JobStatus.Completed, now - settings.CompletedRetention, settings.CompletedKeep, cancellationToken);
        var failed = await RunAsync(
            type, JobStatus.Failed, now - settings.FailedRetention, settings.FailedKeep, cancellationToken);
        if (completed + failed > 0)
        {
            LogRetained(type, completed, failed);
        }

        return completed + failed;
    }

    private async Task<int> RunAsync(
        string type, JobStatus status, DateTimeOffset olderThan, int keep, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < MaxPerPass)
        {
            var ids = await FindExpiredAsync(type, status, olderThan, keep, cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            var deleted = await deleter.DeleteAsync(ids, [status], cancellationToken);
            total += deleted.Count;
            if (ids.Count < Batch || deleted.Count == 0)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>
    /// The oldest finished jobs of the status that are older than the age limit or beyond the newest
    /// <paramref name="keep"/>. The status is a literal so the planner can use the partial index on finished jobs.
    /// </summary>
    private async Task<IReadOnlyList<Guid>> FindExpiredAsync(
        string type, JobStatus status, DateTimeOffset olderThan, int keep, CancellationToken cancellationToken)
    {
        var literal = status.ToId();
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT id FROM jobs.job_index
            WHERE type = $1 AND status = '{literal}'
              AND (finished_at < $2 OR finished_at <= (
                    SELECT finished_at FROM jobs.job_index WHERE type = $1 AND status = '{literal}'
                    ORDER BY finished_at DESC OFFSET $3 LIMIT 1))
            ORDER BY finished_at
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = olderThan.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = keep });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Batch });

        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information,
        Message = "Retention removed {Completed} completed and {Failed} failed {Type} jobs")]
    private partial void LogRetained(string type, int completed, int failed);
}
