using System.Text.Json;
using Jobs.Handlers;

namespace Jobs.JobTypes.Delayed;

/// <summary>Reads <c>job.backoff</c>: <c>{"type": "fixed"|"exponential", "delayMs", "maxDelayMs"}</c>.</summary>
internal static class BackoffReader
{
    private const string Path = "job.backoff";

    public static Backoff? Read(JsonElement job, PayloadValidation validation)
    {
        if (!job.TryGetProperty("backoff", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            validation.Add(Path, "must be an object with type (fixed or exponential), delayMs and maxDelayMs.");
            return null;
        }

        var kind = ReadKind(element, validation);
        var delay = JobActionReader.ReadMilliseconds(element, "delayMs", allowZero: true, validation, Path);
        var maxDelay = JobActionReader.ReadMilliseconds(element, "maxDelayMs", allowZero: false, validation, Path);
        if (!element.TryGetProperty("delayMs", out _))
        {
            validation.Add($"{Path}.delayMs", "is required.");
        }

        return kind is null || delay is null ? null : new Backoff(kind.Value, delay.Value, maxDelay);
    }

    private static BackoffKind? ReadKind(JsonElement backoff, PayloadValidation validation)
    {
        var text = backoff.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
        switch (text)
        {
            case "fixed":
                return BackoffKind.Fixed;
            case "exponential":
                return BackoffKind.Exponential;
            default:
                validation.Add($"{Path}.type", "must be fixed or exponential.");
                return null;
        }
    }
}
