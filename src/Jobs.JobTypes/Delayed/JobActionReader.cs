using System.Globalization;
using System.Text.Json;
using Jobs.Handlers;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// Reads <c>job</c>: <c>type</c>, <c>payload</c> (checked by that type's handler), <c>attempts</c>,
/// <c>backoff</c> (<c>{"type": "fixed"|"exponential", "delayMs", "maxDelayMs"}</c>), <c>priority</c>,
/// <c>timeoutMs</c>, and when the job may start: <c>delayMs</c> after the action runs, or at <c>runAt</c>.
/// </summary>
internal static class JobActionReader
{
    public const int MaxAttempts = 100;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "type", "payload", "attempts", "backoff", "priority", "timeoutMs", "delayMs", "runAt",
    };

    /// <param name="handlers">The handlers running here, which check the inner payload; null skips that check.</param>
    public static JobAction? Read(JsonElement job, JobHandlerRegistry? handlers, PayloadValidation validation)
    {
        if (job.ValueKind != JsonValueKind.Object)
        {
            validation.Add("job", "must be an object with at least type and payload.");
            return null;
        }

        foreach (var property in job.EnumerateObject().Where(p => !KnownFields.Contains(p.Name)))
        {
            validation.Add($"job.{property.Name}", "is not a field of a job to create.");
        }

        var type = ReadType(job, validation);
        var payload = ReadPayload(job, type, handlers, validation);
        var attempts = ReadInt(job, "attempts", 1, MaxAttempts, validation);
        var backoff = BackoffReader.Read(job, validation);
        var priority = ReadInt(job, "priority", int.MinValue, int.MaxValue, validation) ?? 0;
        var timeout = ReadMilliseconds(job, "timeoutMs", allowZero: false, validation);
        var delay = ReadMilliseconds(job, "delayMs", allowZero: true, validation);
        var runAt = ReadRunAt(job, validation);
        if (delay is not null && runAt is not null)
        {
            validation.Add("job.runAt", "cannot be given with job.delayMs; give one.");
        }

        return type is null || payload is null
            ? null
            : new JobAction(type, payload, attempts, backoff, priority, timeout, delay, runAt);
    }

    private static string? ReadType(JsonElement job, PayloadValidation validation)
    {
        var type = job.TryGetProperty("type", out var element) && element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : null;
        if (!JobType.IsKnown(type))
        {
            validation.Add("job.type", $"must be one of {string.Join(", ", JobType.All)}.");
            return null;
        }

        return type;
    }

    private static string? ReadPayload(
        JsonElement job, string? type, JobHandlerRegistry? handlers, PayloadValidation validation)
    {
        if (!job.TryGetProperty("payload", out var payload) || payload.ValueKind == JsonValueKind.Null)
        {
            payload = EmptyObject;
        }

        if (payload.ValueKind != JsonValueKind.Object)
        {
            validation.Add("job.payload", "must be a JSON object.");
            return null;
        }

        // The inner type's own checks, so a job that could never be created is refused now, not when it is due.
        if (type is not null && handlers is not null)
        {
            CheckWithHandler(type, payload, handlers, validation);
        }

        return payload.GetRawText();
    }

    private static void CheckWithHandler(
        string type, JsonElement payload, JobHandlerRegistry handlers, PayloadValidation validation)
    {
        if (!handlers.TryGet(type, out var handler))
        {
            validation.Add("job.type", $"has no handler running in this cluster: '{type}' jobs cannot run here.");
            return;
        }

        foreach (var (path, messages) in handler.Validate(payload).ToDictionary())
        {
            foreach (var message in messages)
            {
                validation.Add($"job.{path}", message);
            }
        }
    }

    internal static int? ReadInt(
        JsonElement obj, string name, int min, int max, PayloadValidation validation, string parent = "job")
    {
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value)
            || value < min || value > max)
        {
            validation.Add($"{parent}.{name}", min == int.MinValue
                ? "must be a whole number."
                : $"must be a whole number from {min} to {max}.");
            return null;
        }

        return value;
    }

    internal static TimeSpan? ReadMilliseconds(
        JsonElement obj, string name, bool allowZero, PayloadValidation validation, string parent = "job")
    {
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var maximum = (long)TimeSpan.FromDays(366).TotalMilliseconds;
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var ms)
            || ms < (allowZero ? 0 : 1) || ms > maximum)
        {
            validation.Add(
                $"{parent}.{name}", $"must be a whole number of milliseconds from {(allowZero ? 0 : 1)} to {maximum}.");
            return null;
        }

        return TimeSpan.FromMilliseconds(ms);
    }

    private static DateTimeOffset? ReadRunAt(JsonElement job, PayloadValidation validation)
    {
        if (!job.TryGetProperty("runAt", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(
                element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var runAt))
        {
            return runAt;
        }

        validation.Add("job.runAt", "must be a date and time such as 2026-12-24T18:00:00Z.");
        return null;
    }
}
