namespace Jobs.JobTypes.ScriptForge;

/// <summary>What a schedule grain persists.</summary>
[GenerateSerializer, Alias("Jobs.ScriptScheduleState")]
public sealed class ScriptScheduleState
{
    [Id(0)] public ScriptScheduleSpec? Spec { get; set; }

    /// <summary>When the schedule was last set or enabled: occurrences before it are never run.</summary>
    [Id(1)] public DateTimeOffset ArmedAt { get; set; }

    /// <summary>The latest occurrence a job was created for.</summary>
    [Id(2)] public DateTimeOffset? LastOccurrence { get; set; }

    [Id(3)] public Guid? LastJobId { get; set; }

    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }
}
