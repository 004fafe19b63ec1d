namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// Limits of the <c>scriptforge</c> job type, bound from <c>Jobs:ScriptForge</c> and checked at start-up by
/// <see cref="ScriptForgeOptionsValidator"/>. Each of the four script limits is both the default of every job and its
/// ceiling: a payload's <c>limits</c> may lower a value for its own job, never raise it.
/// </summary>
public sealed class ScriptForgeOptions
{
    public const string SectionName = "Jobs:ScriptForge";

    /// <summary>
    /// Wall-clock time one attempt's script may take, all of it together: the top-level code, the function call
    /// and turning the result into JSON. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Statements one attempt may execute, all entries into the script together. Defaults to 1,000,000.</summary>
    public int MaxStatements { get; set; } = 1_000_000;

    /// <summary>
    /// Megabytes one attempt may allocate (allocated, not live: garbage counts too). Defaults to 64.
    /// </summary>
    public int MemoryLimitMegabytes { get; set; } = 64;

    /// <summary>
    /// How many times one function may be on the call stack at once (Jint counts per function, not the stack's
    /// depth). Defaults to 256. A stack-overflow guard backs it up for recursion it cannot see.
    /// </summary>
    public int MaxRecursionDepth { get; set; } = 256;

    /// <summary>Lines one attempt may write through <c>console</c>; later lines are dropped. Defaults to 1,000.</summary>
    public int MaxLogLines { get; set; } = 1_000;

    /// <summary>Characters kept of one log line; the rest is cut. Defaults to 4,096.</summary>
    public int MaxLogLineLength { get; set; } = 4_096;

    /// <summary>Characters of JSON a result may have; a longer one fails the attempt. Defaults to 1,048,576.</summary>
    public int MaxResultLength { get; set; } = 1_048_576;

    /// <summary>The operator's limits: the defaults and the ceilings of every job.</summary>
    public ScriptLimits Limits => new(Timeout, MaxStatements, MemoryLimitMegabytes, MaxRecursionDepth);
}
