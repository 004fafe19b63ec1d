using System.Text.Json;
using Jobs.Handlers;
using Jobs.Rating.Cdrs;

namespace Jobs.JobTypes.Cdr;

/// <summary>How a re-rate is split, fixed by its first attempt so that every later attempt does the same work.</summary>
/// <param name="Parts">The partitions, in input order.</param>
/// <param name="Revisions">The card revisions used, in the order they came into force.</param>
/// <param name="StoredJobs">For stored calls: the jobs whose kept calls are read.</param>
public sealed record CdrPlan(IReadOnlyList<CdrPlanPart> Parts, IReadOnlyList<PlannedRevision> Revisions, IReadOnlyList<Guid> StoredJobs);

/// <summary>A re-rate as stored: its plan and, once complete, its output file and result.</summary>
public sealed record CdrRun(
    Guid JobId,
    string Tenant,
    Guid? FileId,
    bool KeepCalls,
    CdrPlan Plan,
    Guid? OutputFileId = null,
    string? ResultJson = null);

/// <summary>A partition as stored, for operators and tests: how often it was started, where it finished.</summary>
public sealed record CdrPartitionRecord(int Part, int Runs, string? Silo, bool Finished, long? CallsKept, DateTimeOffset? FinishedAt);

/// <summary>The call records themselves are wrong (a bad header, a missing file): running again cannot help.</summary>
public sealed class CdrInputException(string message) : Exception(message);

/// <summary>Summaries and plans as JSON, with the job payloads' conventions.</summary>
internal static class CdrJson
{
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, JobJson.Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, JobJson.Options) ?? throw new JsonException($"Stored {typeof(T).Name} is null.");

    public static CdrSummary Summary(string json) => Deserialize<CdrSummary>(json);
}
