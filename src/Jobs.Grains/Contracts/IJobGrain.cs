namespace Jobs;

/// <summary>One job: its state, its retry policy and its attempts. The key is the job id.</summary>
[Alias("Jobs.IJobGrain")]
public interface IJobGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Creates the job, or returns it unchanged if it already exists (which is how idempotency keys work: the key
    /// maps to the job id). Refuses a payload its type's handler finds invalid.
    /// </summary>
    /// <param name="freshId">True when the caller has just generated the id, so there is no stored state to read.</param>
    [Alias("Create")]
    Task<JobCreateResult> CreateAsync(JobSpec spec, bool freshId);

    /// <summary>The job as it is now, or null if it does not exist.</summary>
    [Alias("Get")]
    Task<JobSnapshot?> GetAsync();

    /// <summary>Fails a waiting, delayed or active job with reason "cancelled"; an active attempt is told to stop.</summary>
    [Alias("Cancel")]
    Task<JobCommandResult> CancelAsync();

    /// <summary>Makes a delayed job due now.</summary>
    [Alias("Promote")]
    Task<JobCommandResult> PromoteAsync();

    /// <summary>Makes a failed job wait again with a fresh set of attempts; its history is kept.</summary>
    [Alias("Retry")]
    Task<JobCommandResult> RetryAsync();

    /// <summary>Deletes a job that is not active, with its state and index entry.</summary>
    [Alias("Delete")]
    Task<JobCommandResult> DeleteAsync();

    /// <summary>
    /// Makes sure the job is scheduled on a live silo: used by the sweeper and by dead-silo recovery. Loading the
    /// job is enough to recover an attempt lost with its silo. Does nothing to final or unknown jobs.
    /// </summary>
    [Alias("Wake")]
    Task WakeAsync();
}
