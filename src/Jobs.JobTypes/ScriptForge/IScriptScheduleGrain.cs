namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// A schedule that runs a tenant's stored script on a cron expression with second precision. The key is the
/// schedule's id. See <see cref="ScriptScheduleGrain"/> for how occurrences become jobs.
/// </summary>
[Alias("Jobs.IScriptScheduleGrain")]
public interface IScriptScheduleGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Creates the schedule or replaces its settings; refuses invalid ones with errors keyed by field, among them a
    /// script or version the tenant does not have.
    /// </summary>
    [Alias("Set")]
    Task<ScriptScheduleResult> SetAsync(ScriptScheduleSpec spec);

    /// <summary>
    /// Like <see cref="SetAsync"/> but only for a schedule that exists: null when it does not, so a replace racing a
    /// delete never brings the schedule back.
    /// </summary>
    [Alias("Replace")]
    Task<ScriptScheduleResult?> ReplaceAsync(ScriptScheduleSpec spec);

    /// <summary>The schedule as it is now, or null if it does not exist.</summary>
    [Alias("Get")]
    Task<ScriptScheduleSnapshot?> GetAsync();

    /// <summary>Pauses or resumes the schedule; null if it does not exist. Occurrences while paused never run.</summary>
    [Alias("SetEnabled")]
    Task<ScriptScheduleSnapshot?> SetEnabledAsync(bool enabled);

    /// <summary>Deletes the schedule and its reminder; jobs it created stay. False if it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();
}

/// <summary>What a schedule runs, when, and for whom.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.ScriptScheduleSpec")]
public sealed record ScriptScheduleSpec
{
    /// <summary>The tenant the jobs are created for; it must own the script (checked when set and when each job runs).</summary>
    [Id(0)] public required string Tenant { get; init; }

    /// <summary>Six fields (second first) or five (second 0); see <see cref="CronSchedule"/>.</summary>
    [Id(1)] public required string Cron { get; init; }

    /// <summary>The IANA time zone the expression is read in.</summary>
    [Id(2)] public string TimeZone { get; init; } = "UTC";

    [Id(3)] public required Guid ScriptId { get; init; }

    /// <summary>The version to run; null runs the latest version when each job starts.</summary>
    [Id(4)] public int? ScriptVersion { get; init; }

    /// <summary>The global function to call; null takes the script's completion value.</summary>
    [Id(5)] public string? Function { get; init; }

    /// <summary>The function's arguments as JSON: an array is the argument list, any other value the one argument.</summary>
    [Id(6)] public string? ArgumentsJson { get; init; }

    [Id(7)] public bool Enabled { get; init; } = true;
}

/// <summary>A schedule as callers see it.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.ScriptScheduleSnapshot")]
public sealed record ScriptScheduleSnapshot
{
    [Id(0)] public required Guid Id { get; init; }

    [Id(1)] public required ScriptScheduleSpec Spec { get; init; }

    /// <summary>The next occurrence, in UTC; null when disabled or when the expression has no more.</summary>
    [Id(2)] public DateTimeOffset? NextOccurrence { get; init; }

    /// <summary>The latest occurrence a job was created for.</summary>
    [Id(3)] public DateTimeOffset? LastOccurrence { get; init; }

    [Id(4)] public Guid? LastJobId { get; init; }

    [Id(5)] public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The answer to <see cref="IScriptScheduleGrain.SetAsync"/>: the schedule, or why its spec was refused.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.ScriptScheduleResult")]
public sealed record ScriptScheduleResult(
    [property: Id(0)] ScriptScheduleSnapshot? Schedule,
    [property: Id(1)] IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public bool IsValid => Schedule is not null;
}
