using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.JobTypes.Delayed;

/// <summary>The results of delayed jobs, written in the payload conventions (camelCase, nulls left out).</summary>
internal static class DelayedResults
{
    public static string Http(int status, string body, bool truncated) => JsonSerializer.Serialize(
        new HttpResult(status, body, truncated ? true : null), DelayedJsonContext.Default.HttpResult);

    public static string Job(Guid jobId, bool existed) =>
        JsonSerializer.Serialize(new JobResult(jobId, existed ? true : null), DelayedJsonContext.Default.JobResult);
}

internal sealed record HttpResult(int Status, string Body, bool? Truncated);

internal sealed record JobResult(Guid JobId, bool? Existed);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpResult))]
[JsonSerializable(typeof(JobResult))]
internal sealed partial class DelayedJsonContext : JsonSerializerContext;
