using Jobs.Handlers;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// Creates the job a <see cref="JobAction"/> describes, in the delayed job's tenant, and completes with
/// <c>{"jobId"}</c>.
/// </summary>
/// <remarks>
/// The new job's id is derived from the delayed job's id (<see cref="NameBasedGuid"/>), so an attempt that runs
/// again, after a silo died or a lost reply, finds the job the first one created instead of making a second. For
/// the same reason the grain is asked to read its stored state (<c>freshId: false</c>): the id is not new when
/// an earlier attempt used it. A spec the job grain refuses fails permanently with its errors.
/// </remarks>
internal sealed class JobActionRunner(TimeProvider clock)
{
    /// <summary>The namespace of the names hashed into created jobs' ids; fixed forever.</summary>
    private static readonly Guid CreatedJobNamespace = new("5b0c3e64-8f0a-4d47-9b4e-3c6f1d2a7e91");

    public static Guid CreatedJobId(Guid delayedJobId) =>
        NameBasedGuid.Create(CreatedJobNamespace, delayedJobId.ToByteArray(bigEndian: true));

    public async Task<JobOutcome> RunAsync(JobAction action, JobContext context)
    {
        var id = CreatedJobId(context.JobId);
        var spec = new JobSpec
        {
            Type = action.Type,
            Tenant = context.Tenant,
            Payload = action.PayloadJson,
            Attempts = action.Attempts,
            Backoff = action.Backoff,
            Priority = action.Priority,
            Timeout = action.Timeout,
            RunAt = action.RunAt ?? (action.Delay is { } delay ? clock.GetUtcNow() + delay : null),
        };

        var created = await context.GrainFactory.GetGrain<IJobGrain>(id).CreateAsync(spec, freshId: false);
        if (!created.IsValid)
        {
            var errors = string.Join("; ", (created.Errors ?? new Dictionary<string, string[]>())
                .Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}"));
            return JobOutcome.FailedPermanently($"the {action.Type} job was refused: {errors}");
        }

        if (created.Existed)
        {
            context.Log($"Job {id} was created by an earlier attempt; not creating it again.");
        }

        return JobOutcome.Completed(DelayedResults.Job(id, created.Existed));
    }
}
