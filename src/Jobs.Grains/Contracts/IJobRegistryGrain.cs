namespace Jobs;

/// <summary>Listings and counts of one job type, served from the job index in PostgreSQL. The key is the type id.</summary>
[Alias("Jobs.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithStringKey
{
    /// <summary>A page of jobs in the query's order (newest first by default), with the cursor of the next page.</summary>
    [Alias("List")]
    Task<JobPage> ListAsync(JobQuery query);

    /// <summary>How many jobs of the type are in each status, optionally for one tenant.</summary>
    [Alias("Count")]
    Task<StatusCounts> CountAsync(string? tenant);
}

/// <summary>Filters of a listing. Times filter on the job's creation time; <c>To</c> is exclusive.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.JobQuery")]
public sealed record JobQuery
{
    [Id(0)] public JobStatus? Status { get; init; }
    [Id(1)] public string? Tenant { get; init; }
    [Id(2)] public DateTimeOffset? From { get; init; }
    [Id(3)] public DateTimeOffset? To { get; init; }
    [Id(4)] public int Limit { get; init; } = 50;

    /// <summary>The opaque cursor returned with the previous page, in the same order.</summary>
    [Id(5)] public string? Cursor { get; init; }

    /// <summary>The order; orders by finish time need <see cref="Status"/> completed or failed.</summary>
    [Id(6)] public JobSort Sort { get; init; }
}

/// <summary>One page of a listing.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.JobPage")]
public sealed record JobPage(
    [property: Id(0)] IReadOnlyList<JobListItem> Items,
    [property: Id(1)] string? NextCursor);

/// <summary>A job as listings show it: the grid's columns, without payload, result, logs or history.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.JobListItem")]
public sealed record JobListItem
{
    [Id(0)] public required Guid Id { get; init; }
    [Id(1)] public required string Type { get; init; }
    [Id(2)] public required string Tenant { get; init; }
    [Id(3)] public required JobStatus Status { get; init; }
    [Id(4)] public int AttemptsMade { get; init; }
    [Id(5)] public int Attempts { get; init; }
    [Id(6)] public int Priority { get; init; }
    [Id(7)] public DateTimeOffset CreatedAt { get; init; }
    [Id(8)] public DateTimeOffset DueAt { get; init; }
    [Id(9)] public DateTimeOffset? StartedAt { get; init; }
    [Id(10)] public DateTimeOffset? FinishedAt { get; init; }
    [Id(11)] public string? FailedReason { get; init; }
    [Id(12)] public int Progress { get; init; }
    [Id(13)] public IReadOnlyDictionary<string, string>? Summary { get; init; }

    public TimeSpan? StartLatency => StartedAt is { } started ? (started > DueAt ? started - DueAt : TimeSpan.Zero) : null;

    public TimeSpan? RunTime => FinishedAt - StartedAt;
}

/// <summary>Job counts per status.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.StatusCounts")]
public sealed record StatusCounts(
    [property: Id(0)] long Wait,
    [property: Id(1)] long Delayed,
    [property: Id(2)] long Active,
    [property: Id(3)] long Completed,
    [property: Id(4)] long Failed)
{
    public static StatusCounts Zero { get; } = new(0, 0, 0, 0, 0);

    public long this[JobStatus status] => status switch
    {
        JobStatus.Wait => Wait,
        JobStatus.Delayed => Delayed,
        JobStatus.Active => Active,
        JobStatus.Completed => Completed,
        JobStatus.Failed => Failed,
        _ => 0,
    };
}
