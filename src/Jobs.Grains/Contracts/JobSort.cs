namespace Jobs;

/// <summary>
/// The order of a listing. Each one is served by an existing index of jobs.job_index and pages with a keyset cursor,
/// so page 20,000 costs what page 1 does: creation time by (type[, tenant], [status,] created_at DESC, id DESC) read
/// either way, finish time by the partial (type, finished_at) index over finished jobs. That index has no tenant
/// column, so the finish-time orders are not offered for one tenant's jobs.
/// </summary>
public enum JobSort
{
    /// <summary>Newest first: creation time, then id, descending. The default.</summary>
    CreatedDesc = 0,

    /// <summary>Oldest first.</summary>
    CreatedAsc = 1,

    /// <summary>Latest finished first; completed or failed jobs only.</summary>
    FinishedDesc = 2,

    /// <summary>Earliest finished first; completed or failed jobs only.</summary>
    FinishedAsc = 3,
}

/// <summary>Conversions between <see cref="JobSort"/> and its wire id.</summary>
public static class JobSorts
{
    public static IReadOnlyList<JobSort> All { get; } =
        [JobSort.CreatedDesc, JobSort.CreatedAsc, JobSort.FinishedDesc, JobSort.FinishedAsc];

    public static string ToId(this JobSort sort) => sort switch
    {
        JobSort.CreatedDesc => "created_desc",
        JobSort.CreatedAsc => "created_asc",
        JobSort.FinishedDesc => "finished_desc",
        JobSort.FinishedAsc => "finished_asc",
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, null),
    };

    public static bool TryParse(string? id, out JobSort sort)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToId(), id, StringComparison.Ordinal))
            {
                sort = candidate;
                return true;
            }
        }

        sort = default;
        return false;
    }

    public static bool IsDescending(this JobSort sort) => sort is JobSort.CreatedDesc or JobSort.FinishedDesc;

    /// <summary>True for the orders by finish time, which only finished (completed or failed) jobs have.</summary>
    public static bool ByFinishTime(this JobSort sort) => sort is JobSort.FinishedDesc or JobSort.FinishedAsc;
}
