using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Rating;

/// <summary>
/// Settings of the <c>card</c> and <c>cdr</c> job types, bound from <c>Jobs:Rating</c> and checked at start-up by
/// <see cref="RatingOptionsValidator"/>.
/// </summary>
public sealed class RatingOptions
{
    public const string SectionName = "Jobs:Rating";

    /// <summary>Rate entries of loaded cards each silo keeps for later re-rates. Defaults to 2,000,000 (about 10 decks).</summary>
    public long CachedEntries { get; set; } = 2_000_000;

    /// <summary>
    /// Re-rate partitions one silo runs at once; the rest wait their turn. Defaults to the number of processors, since
    /// a partition keeps one core busy.
    /// </summary>
    public int PartitionsPerSilo { get; set; } = Environment.ProcessorCount;

    /// <summary>Input a re-rate partition takes when the payload does not say how many partitions. Defaults to 32 MiB.</summary>
    public long PartitionBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Stored calls a re-rate partition takes when the payload does not say. Defaults to 250,000.</summary>
    public long PartitionCalls { get; set; } = 250_000;

    /// <summary>The most partitions a re-rate is split into. Defaults to 64.</summary>
    public int MaxPartitions { get; set; } = 64;

    /// <summary>Times one partition is started before the re-rate gives up on this attempt. Defaults to 3.</summary>
    public int PartitionRuns { get; set; } = 3;

    /// <summary>How often a re-rate asks its partitions how far they are. Defaults to 250 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Rejected deck rows or call issues written to a job's log before the rest are only counted. Defaults to 20.</summary>
    public int LoggedProblems { get; set; } = 20;
}

/// <summary>Checks <see cref="RatingOptions"/> at start-up, naming the configuration key of each wrong value.</summary>
public sealed class RatingOptionsValidator : IValidateOptions<RatingOptions>
{
    public ValidateOptionsResult Validate(string? name, RatingOptions options)
    {
        var failures = new List<string>();
        var key = RatingOptions.SectionName;
        CheckRange(failures, $"{key}:CachedEntries", options.CachedEntries, 0, 1_000_000_000);
        CheckRange(failures, $"{key}:PartitionsPerSilo", options.PartitionsPerSilo, 1, 1_024);
        CheckRange(failures, $"{key}:PartitionBytes", options.PartitionBytes, 64 * 1024, 1L << 40);
        CheckRange(failures, $"{key}:PartitionCalls", options.PartitionCalls, 1_000, 1_000_000_000);
        CheckRange(failures, $"{key}:MaxPartitions", options.MaxPartitions, 1, 1_024);
        CheckRange(failures, $"{key}:PartitionRuns", options.PartitionRuns, 1, 100);
        CheckRange(failures, $"{key}:LoggedProblems", options.LoggedProblems, 0, 10_000);
        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{key}:PollInterval must be between 00:00:00.010 and 00:01:00; it is {options.PollInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRange(List<string> failures, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min:N0} and {max:N0}; it is {value:N0}.");
        }
    }
}
