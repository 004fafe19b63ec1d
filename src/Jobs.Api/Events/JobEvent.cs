namespace Jobs.Api.Events;

/// <summary>
/// One row of <c>jobs.job_event</c>: a job's status change, progress, log batch or deletion, numbered by
/// <see cref="Seq"/> in the order the rows were inserted.
/// </summary>
public sealed record JobEvent(
    long Seq, DateTimeOffset At, Guid JobId, string Type, string Tenant, string Kind, string DataJson);

/// <summary>Which events a stream wants: one job, or one type, one tenant, or any combination.</summary>
public sealed record JobEventFilter(Guid? JobId, string? Type, string? Tenant)
{
    public bool Matches(JobEvent e) =>
        (JobId is not { } id || e.JobId == id)
        && (Type is null || string.Equals(e.Type, Type, StringComparison.Ordinal))
        && (Tenant is null || string.Equals(e.Tenant, Tenant, StringComparison.Ordinal));
}
