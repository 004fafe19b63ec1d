namespace Jobs;

/// <summary>The job types, each a queue with its own settings. The ids are fixed: other programs send them.</summary>
public static class JobType
{
    public const string Card = "card";
    public const string Cdr = "cdr";
    public const string Delayed = "delayed";
    public const string Orc = "orc";
    public const string Send = "send";
    public const string ScriptForge = "scriptforge";
    public const string Switch = "switch";
    public const string SipTest = "siptest";
    public const string Transcribe = "transcribe";

    /// <summary>A built-in type that sleeps and can fail on purpose: for smoke tests and benchmarks.</summary>
    public const string Noop = "noop";

    /// <summary>
    /// The built-in type that retries, cancels or deletes every job matching a filter, in batches, with progress.
    /// Created through <c>POST /api/bulk</c> only.
    /// </summary>
    public const string Bulk = "bulk";

    public static IReadOnlyList<string> All { get; } =
        [Card, Cdr, Delayed, Orc, Send, ScriptForge, Switch, SipTest, Transcribe, Noop, Bulk];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);
}
