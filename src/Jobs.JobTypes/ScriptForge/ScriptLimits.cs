using System.Globalization;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>The limits one attempt of a script runs under.</summary>
public sealed record ScriptLimits(TimeSpan Timeout, int MaxStatements, int MemoryMegabytes, int RecursionDepth)
{
    public long MemoryBytes => MemoryMegabytes * 1024L * 1024L;

    /// <summary>These limits with each value a payload asked for applied, where it is lower; a higher one is ignored.</summary>
    public ScriptLimits LowerTo(ScriptLimitRequest? request) => request is null ? this : new ScriptLimits(
        request.TimeoutMs is { } ms && TimeSpan.FromMilliseconds(ms) < Timeout ? TimeSpan.FromMilliseconds(ms) : Timeout,
        Math.Min(request.MaxStatements ?? int.MaxValue, MaxStatements),
        Math.Min(request.MemoryMb ?? int.MaxValue, MemoryMegabytes),
        Math.Min(request.RecursionDepth ?? int.MaxValue, RecursionDepth));

    /// <summary>The reason an attempt fails with when it trips <paramref name="limit"/>.</summary>
    public string Exceeded(ScriptLimit limit) => limit switch
    {
        ScriptLimit.Time => $"script exceeded the time limit of {Describe(Timeout)}",
        ScriptLimit.Statements => $"script exceeded the statement limit of {MaxStatements:N0}",
        ScriptLimit.Memory => $"script exceeded the memory limit of {MemoryMegabytes:N0} MB",
        ScriptLimit.Recursion => $"script exceeded the recursion limit of {RecursionDepth:N0}",
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };

    private static string Describe(TimeSpan duration) => duration.TotalMilliseconds < 1_000
        ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###} s");
}

/// <summary>The limits a payload asks for (<c>limits</c>); each may only lower the operator's value.</summary>
public sealed record ScriptLimitRequest(int? TimeoutMs, int? MaxStatements, int? MemoryMb, int? RecursionDepth);

public enum ScriptLimit
{
    Time,
    Statements,
    Memory,
    Recursion,
}
