namespace Jobs;

/// <summary>The answer to a command on one job: done, no such job, or refused in the job's current status.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.JobCommandResult")]
public sealed record JobCommandResult(
    [property: Id(0)] JobCommandStatus Status,
    [property: Id(1)] JobSnapshot? Job,
    [property: Id(2)] string? Reason = null)
{
    public static JobCommandResult Done(JobSnapshot job) => new(JobCommandStatus.Done, job);

    public static JobCommandResult NotFound { get; } = new(JobCommandStatus.NotFound, null, "no such job");

    public static JobCommandResult Refused(JobSnapshot job, string reason) => new(JobCommandStatus.Refused, job, reason);
}

[GenerateSerializer, Alias("Jobs.JobCommandStatus")]
public enum JobCommandStatus
{
    Done = 0,
    NotFound = 1,

    /// <summary>The job's status does not allow the command (HTTP 409).</summary>
    Refused = 2,
}

/// <summary>The answer to a create: the job, or why its spec was refused (payload field and reason).</summary>
[GenerateSerializer, Immutable, Alias("Jobs.JobCreateResult")]
public sealed record JobCreateResult(
    [property: Id(0)] JobSnapshot? Job,
    [property: Id(1)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: Id(2)] bool Existed = false)
{
    public bool IsValid => Job is not null;
}
