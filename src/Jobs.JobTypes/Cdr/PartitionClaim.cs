using Jobs.Rating.Cdrs;
using Npgsql;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// One run's hold on a partition (see <see cref="CdrRunStore.ClaimAsync"/>): a transaction that keeps the
/// partition's lock, receives its calls and, at the end, its summary. Disposing it without
/// <see cref="FinishAsync"/> rolls everything back.
/// </summary>
public sealed class PartitionClaim : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly Guid _jobId;
    private readonly int _part;
    private CallWriter? _calls;

    internal PartitionClaim(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid jobId, int part)
    {
        _connection = connection;
        _transaction = transaction;
        _jobId = jobId;
        _part = part;
    }

    /// <summary>Starts copying the partition's calls into <c>rating.call</c>; give the result to the re-rate.</summary>
    public async Task<ICdrCallSink> KeepCallsAsync(string tenant, CancellationToken cancellationToken)
    {
        _calls = await CallWriter.OpenAsync(_connection, tenant, _jobId, _part, cancellationToken);
        return _calls;
    }

    /// <summary>Completes the calls' copy and stores the summary, making the partition finished, in one commit.</summary>
    public async Task FinishAsync(CdrSummary summary, string silo, CancellationToken cancellationToken)
    {
        long? kept = null;
        if (_calls is not null)
        {
            kept = await _calls.CompleteAsync(cancellationToken);
        }

        await using (var finish = new NpgsqlCommand("""
            UPDATE rating.cdr_partition
            SET summary = $3::jsonb, calls_kept = $4, silo = $5, finished_at = now()
            WHERE job_id = $1 AND part = $2 AND summary IS NULL
            """, _connection))
        {
            finish.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = _jobId });
            finish.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _part });
            finish.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CdrJson.Serialize(summary) });
            finish.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = kept });
            finish.Parameters.Add(new NpgsqlParameter<string> { TypedValue = silo });
            if (await finish.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"Partition {_part} of job {_jobId} was finished by another run.");
            }
        }

        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_calls is not null)
        {
            await _calls.DisposeAsync();
        }

        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
