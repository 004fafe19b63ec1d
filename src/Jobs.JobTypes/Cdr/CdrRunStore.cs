using Jobs.Rating.Cdrs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Re-rates in PostgreSQL (<c>infra/schema/010-rating.sql</c>): each job's plan, its partitions' summaries and
/// output chunks, and its result. A partition is finished when its summary is stored; what an unfinished run left
/// is removed before the partition runs again, so a partition can be repeated any number of times.
/// </summary>
public sealed partial class CdrRunStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;

    public CdrRunStore(NpgsqlDataSource dataSource, ILogger<CdrRunStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The job's re-rate, or null when no attempt has planned it yet.</summary>
    public async Task<CdrRun?> GetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT tenant, file_id, stores_calls, plan::text, output_file_id, result::text FROM rating.cdr_run WHERE job_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CdrRun(
            jobId,
            reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetGuid(1),
            reader.GetBoolean(2),
            CdrJson.Deserialize<CdrPlan>(reader.GetString(3)),
            reader.IsDBNull(4) ? null : reader.GetGuid(4),
            reader.IsDBNull(5) ? null : reader.GetString(5));
    }

    /// <summary>
    /// Stores the plan of a re-rate with a row per partition, unless an earlier attempt stored one: then that one
    /// is returned, and the job carries on with it.
    /// </summary>
    public async Task<CdrRun> CreateAsync(CdrRun run, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH added AS (
                INSERT INTO rating.cdr_run (job_id, tenant, file_id, stores_calls, plan)
                VALUES ($1, $2, $3, $4, $5::jsonb)
                ON CONFLICT (job_id) DO NOTHING
                RETURNING job_id
            )
            INSERT INTO rating.cdr_partition (job_id, part)
            SELECT job_id, part FROM added, generate_series(0, $6 - 1) AS part
            """;
        await using (var command = _dataSource.CreateCommand(sql))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.JobId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Tenant });
            command.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = run.FileId });
            command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = run.KeepCalls });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CdrJson.Serialize(run.Plan) });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = run.Plan.Parts.Count });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return await GetAsync(run.JobId, cancellationToken)
            ?? throw new InvalidOperationException($"The re-rate of job {run.JobId} was not stored.");
    }

    /// <summary>The partitions of a job, in order.</summary>
    public async Task<IReadOnlyList<CdrPartitionRecord>> PartitionsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT part, runs, silo, summary IS NOT NULL, calls_kept, finished_at
            FROM rating.cdr_partition WHERE job_id = $1 ORDER BY part
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var parts = new List<CdrPartitionRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            parts.Add(new CdrPartitionRecord(
                reader.GetInt32(0),
                reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return parts;
    }

    /// <summary>The summaries of the finished partitions, in partition order.</summary>
    public async Task<IReadOnlyList<(int Part, CdrSummary Summary, long CallsKept)>> SummariesAsync(
        Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT part, summary::text, coalesce(calls_kept, 0)
            FROM rating.cdr_partition WHERE job_id = $1 AND summary IS NOT NULL ORDER BY part
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var summaries = new List<(int, CdrSummary, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            summaries.Add((reader.GetInt32(0), CdrJson.Summary(reader.GetString(1)), reader.GetInt64(2)));
        }

        return summaries;
    }

    /// <summary>
    /// Takes partition <paramref name="part"/> for one run: a transaction holding the partition's lock until the run
    /// finishes or fails, so two runs of one partition never overlap. Null when the partition is finished already.
    /// Counts the run, and discards the calls an unfinished earlier run may have left.
    /// </summary>
    public async Task<PartitionClaim?> ClaimAsync(Guid jobId, int part, bool keepCalls, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1::text, $2))", connection))
            {
                take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "rating.partition:" + jobId });
                take.Parameters.Add(new NpgsqlParameter<long> { TypedValue = part });
                await take.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var check = new NpgsqlCommand(
                "SELECT summary IS NOT NULL FROM rating.cdr_partition WHERE job_id = $1 AND part = $2", connection))
            {
                check.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
                check.Parameters.Add(new NpgsqlParameter<int> { TypedValue = part });
                var finished = await check.ExecuteScalarAsync(cancellationToken) as bool?
                    ?? throw new InvalidOperationException($"Job {jobId} has no partition {part}.");
                if (finished)
                {
                    await connection.DisposeAsync();
                    return null;
                }
            }

            // Counted outside the claim's transaction, so a run that dies still counts.
            await using (var count = _dataSource.CreateCommand(
                "UPDATE rating.cdr_partition SET runs = runs + 1 WHERE job_id = $1 AND part = $2"))
            {
                count.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
                count.Parameters.Add(new NpgsqlParameter<int> { TypedValue = part });
                await count.ExecuteNonQueryAsync(cancellationToken);
            }

            if (keepCalls)
            {
                await using var clear = new NpgsqlCommand("DELETE FROM rating.call WHERE job_id = $1 AND part = $2", connection);
                clear.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
                clear.Parameters.Add(new NpgsqlParameter<int> { TypedValue = part });
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            return new PartitionClaim(connection, transaction, jobId, part);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens the partition's output: its chunks replace any an unfinished earlier run left.</summary>
    public async Task<OutputChunkStream> OpenOutputAsync(Guid jobId, int part, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return await OutputChunkStream.OpenAsync(connection, jobId, part, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The partitions' outputs joined in order, streamed one chunk at a time.</summary>
    public async Task<Stream> OpenJoinedOutputAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return await JoinedChunkStream.OpenAsync(connection, jobId, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Records the result and drops the partitions' output chunks, now that the joined file is stored.</summary>
    public async Task CompleteAsync(Guid jobId, Guid outputFileId, string resultJson, CancellationToken cancellationToken)
    {
        await using var batch = _dataSource.CreateBatch();
        var complete = new NpgsqlBatchCommand(
            "UPDATE rating.cdr_run SET completed_at = now(), output_file_id = $2, result = $3::jsonb WHERE job_id = $1");
        complete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        complete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = outputFileId });
        complete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resultJson });
        var drop = new NpgsqlBatchCommand("DELETE FROM rating.cdr_output_chunk WHERE job_id = $1");
        drop.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        batch.BatchCommands.Add(complete);
        batch.BatchCommands.Add(drop);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        LogCompleted(jobId, outputFileId);
    }
}
