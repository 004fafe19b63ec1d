namespace Jobs.Rating.Cdrs;

/// <summary>Options of one re-rate run.</summary>
public sealed record CdrRunOptions
{
    /// <summary>Issues kept in <see cref="CdrSummary.Issues"/> unless said otherwise.</summary>
    public const int DefaultIssueLimit = 100;

    /// <summary>Rate only this part of the input (planned by <see cref="CdrPartitioner"/>); null for all of it.</summary>
    public CdrPartition? Partition { get; init; }

    /// <summary>
    /// Whether to start the output with its header row. Null: yes for a whole file and for the first partition, so
    /// the partitions' outputs concatenated in order equal the whole file's output byte for byte.
    /// </summary>
    public bool? WriteHeader { get; init; }

    /// <summary>Reports rows and bytes read now and then, and at the end.</summary>
    public IProgress<ReadProgress>? Progress { get; init; }

    /// <summary>Called for every unmatched, blocked or bad record, in file order, as it is met.</summary>
    public Action<CdrIssue>? OnIssue { get; init; }

    /// <summary>How many issues the summary keeps.</summary>
    public int IssueLimit { get; init; } = DefaultIssueLimit;
}
