using Orleans.Concurrency;

namespace Jobs.Registry;

/// <summary>
/// Serves one job type's listings and counts from the job index. Reads only, so calls interleave freely:
/// a slow page never holds up another.
/// </summary>
[GrainType("job-registry")]
[Reentrant]
public sealed class JobRegistryGrain(JobIndex index) : Grain, IJobRegistryGrain
{
    public Task<JobPage> ListAsync(JobQuery query) => index.ListAsync(this.GetPrimaryKeyString(), query);

    public Task<StatusCounts> CountAsync(string? tenant) => index.CountAsync(this.GetPrimaryKeyString(), tenant);
}
