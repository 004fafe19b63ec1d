namespace Jobs;

/// <summary>Where a job is in its life. The lower-case names are the ids used on the wire and in the index.</summary>
public enum JobStatus
{
    /// <summary>Due, waiting for a worker slot, or its queue is paused.</summary>
    Wait = 0,

    /// <summary>Due in the future: a requested delay or a retry backoff.</summary>
    Delayed = 1,

    /// <summary>An attempt is running.</summary>
    Active = 2,

    /// <summary>The last attempt succeeded. Final.</summary>
    Completed = 3,

    /// <summary>Attempts are used up, the failure was permanent, or the job was cancelled. Retry makes it wait again.</summary>
    Failed = 4,
}

/// <summary>Conversions between <see cref="JobStatus"/> and its wire id.</summary>
public static class JobStatuses
{
    public static IReadOnlyList<JobStatus> All { get; } =
        [JobStatus.Completed, JobStatus.Failed, JobStatus.Active, JobStatus.Delayed, JobStatus.Wait];

    public static string ToId(this JobStatus status) => status switch
    {
        JobStatus.Wait => "wait",
        JobStatus.Delayed => "delayed",
        JobStatus.Active => "active",
        JobStatus.Completed => "completed",
        JobStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? id, out JobStatus status)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToId(), id, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>True for statuses a job never leaves by itself.</summary>
    public static bool IsFinal(this JobStatus status) => status is JobStatus.Completed or JobStatus.Failed;
}
