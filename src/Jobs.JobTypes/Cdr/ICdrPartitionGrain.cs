namespace Jobs.JobTypes.Cdr;

/// <summary>
/// One partition of a re-rate, keyed <c>{jobId:N}/{index}</c> (<see cref="KeyOf"/>). Partitions are placed across the
/// cluster's silos by index (<see cref="CdrPartitionPlacement"/>). A partition runs in the background of its
/// activation; the re-rate starts it and then polls it. An activation lost with its silo answers
/// <see cref="CdrPartitionStatus.Idle"/> when asked again, and the re-rate starts it anew, elsewhere.
/// </summary>
[Alias("Jobs.ICdrPartitionGrain")]
public interface ICdrPartitionGrain : IGrainWithStringKey
{
    /// <summary>Starts the partition unless it runs in this activation already or is finished; says which.</summary>
    [Alias("Start")]
    Task<CdrPartitionState> StartAsync(CdrPartitionWork work);

    /// <summary>How far the partition has got in this activation.</summary>
    [Alias("Poll")]
    Task<CdrPartitionState> PollAsync();

    /// <summary>The grain key of a job's partition.</summary>
    public static string KeyOf(Guid jobId, int index) => $"{jobId:N}/{index}";

    /// <summary>The partition index in a grain key, or -1 when the key is not a partition's.</summary>
    public static int IndexOf(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash >= 0 && int.TryParse(key.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : -1;
    }
}

/// <summary>What one partition rates: the part of the input, and where the job's settings and card revisions are.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.CdrPartitionWork")]
public sealed record CdrPartitionWork
{
    [Id(0)] public required Guid JobId { get; init; }

    [Id(1)] public required string Tenant { get; init; }

    /// <summary>The job's payload, read again by the partition.</summary>
    [Id(2)] public required string PayloadJson { get; init; }

    [Id(3)] public required CdrPlanPart Part { get; init; }

    /// <summary>The card revisions of the job, in the order they came into force.</summary>
    [Id(4)] public required IReadOnlyList<PlannedRevision> Revisions { get; init; }

    /// <summary>For a stored source: the jobs whose kept calls are read.</summary>
    [Id(5)] public IReadOnlyList<Guid> StoredJobs { get; init; } = [];

    /// <summary>Whether the partition keeps its calls in PostgreSQL.</summary>
    [Id(6)] public bool KeepCalls { get; init; }
}

/// <summary>
/// One partition of a plan: a byte range of a file (<see cref="StartByte"/>, <see cref="EndByte"/>) or a time range
/// of stored calls (<see cref="From"/>, <see cref="To"/>), with the line number of its first record.
/// </summary>
[GenerateSerializer, Immutable, Alias("Jobs.CdrPlanPart")]
public sealed record CdrPlanPart
{
    [Id(0)] public int Index { get; init; }

    [Id(1)] public long StartByte { get; init; }

    [Id(2)] public long EndByte { get; init; }

    [Id(3)] public long FirstLine { get; init; } = 1;

    [Id(4)] public DateTime? From { get; init; }

    [Id(5)] public DateTime? To { get; init; }

    /// <summary>The work to do, for progress: bytes of a file, or stored calls.</summary>
    [Id(6)] public long Size { get; init; }
}

/// <summary>A card revision a re-rate uses, and the wall-clock time (in the job's zone) it came into force.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.PlannedRevision")]
public sealed record PlannedRevision(
    [property: Id(0)] Guid Id,
    [property: Id(1)] int Revision,
    [property: Id(2)] DateTime InForceFrom);

/// <summary>Where a partition is.</summary>
public enum CdrPartitionStatus
{
    /// <summary>Not started in this activation (new, or its silo died): start it.</summary>
    Idle,

    Running,

    /// <summary>Finished: its summary, calls and output are stored.</summary>
    Finished,

    /// <summary>Its last run failed; <see cref="CdrPartitionState.Error"/> says why.</summary>
    Failed,
}

/// <summary>A partition's state as its activation knows it.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.CdrPartitionState")]
public sealed record CdrPartitionState
{
    [Id(0)] public CdrPartitionStatus Status { get; init; }

    /// <summary>Work done so far, in the unit of <see cref="CdrPlanPart.Size"/>.</summary>
    [Id(1)] public long Done { get; init; }

    [Id(2)] public string? Error { get; init; }

    /// <summary>Whether running it again cannot help (the input itself is wrong).</summary>
    [Id(3)] public bool Permanent { get; init; }

    /// <summary>The silo the activation lives on.</summary>
    [Id(4)] public string Silo { get; init; } = "";
}
