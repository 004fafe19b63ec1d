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

    /// <summary>
    /// The line number of the input's first line when the input is itself a piece of a larger whole (calls exported
    /// from storage in parts, say) rather than a <see cref="Partition"/> of a file; null for 1.
    /// </summary>
    public long? FirstLine { get; init; }

    /// <summary>Receives every readable call as it is read (see <see cref="ICdrCallSink"/>); null for none.</summary>
    public ICdrCallSink? Calls { get; init; }
}
