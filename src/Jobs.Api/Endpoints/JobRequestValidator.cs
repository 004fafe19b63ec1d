using System.Text.Json;

namespace Jobs.Api.Endpoints;

/// <summary>Checks a create request field by field and turns it into a <see cref="JobSpec"/>.</summary>
public static class JobRequestValidator
{
    private const long MaxDelayMs = 366L * 24 * 3600 * 1000;
    private const long MaxTimeoutMs = 7L * 24 * 3600 * 1000;

    public static JobSpec? ToSpec(CreateJobRequest request, string tenant, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string field, string message)
        {
            if (!found.TryGetValue(field, out var list))
            {
                found[field] = list = [];
            }

            list.Add(message);
        }

        if (string.IsNullOrEmpty(request.Type))
        {
            Error("type", "is required: one of " + string.Join(", ", JobType.All));
        }
        else if (!JobType.IsKnown(request.Type))
        {
            Error("type", $"'{Truncate(request.Type)}' is not a job type: one of " + string.Join(", ", JobType.All));
        }

        if (request.Payload is { ValueKind: not JsonValueKind.Object })
        {
            Error("payload", "must be a JSON object");
        }

        CheckRange(request.Attempts, 1, 100, "attempts", Error);
        CheckRange(request.Priority, -1000, 1000, "priority", Error);
        CheckRange(request.TimeoutMs, 1, MaxTimeoutMs, "timeoutMs", Error);
        CheckRange(request.DelayMs, 0, MaxDelayMs, "delayMs", Error);
        if (request.DelayMs is not null && request.RunAt is not null)
        {
            Error("runAt", "give either delayMs or runAt, not both");
        }
        else if (request.RunAt is { } runAt && runAt > now.AddMilliseconds(MaxDelayMs))
        {
            Error("runAt", "must be within 366 days");
        }

        var backoff = ToBackoff(request.Backoff, Error);
        CheckIdempotencyKey(request.IdempotencyKey, Error);

        errors = found.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        if (errors.Count > 0)
        {
            return null;
        }

        return new JobSpec
        {
            Type = request.Type!,
            Tenant = tenant,
            Payload = request.Payload?.GetRawText() ?? "{}",
            Attempts = request.Attempts,
            Backoff = backoff,
            RunAt = request.RunAt ?? (request.DelayMs is { } delay ? now.AddMilliseconds(delay) : null),
            Priority = request.Priority ?? 0,
            Timeout = request.TimeoutMs is { } timeout ? TimeSpan.FromMilliseconds(timeout) : null,
            IdempotencyKey = request.IdempotencyKey,
        };
    }

    /// <summary>Tenant names: 1 to 100 letters, digits, '.', '_' or '-'.</summary>
    public static bool IsValidTenant(string tenant) =>
        tenant.Length is > 0 and <= 100 && tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static Backoff? ToBackoff(BackoffRequest? request, Action<string, string> error)
    {
        if (request is null)
        {
            return null;
        }

        if (request.Kind is null)
        {
            error("backoff.kind", "is required: fixed or exponential");
        }

        if (request.DelayMs is null)
        {
            error("backoff.delayMs", "is required");
        }

        CheckRange(request.DelayMs, 0, MaxDelayMs, "backoff.delayMs", error);
        CheckRange(request.MaxDelayMs, 0, MaxDelayMs, "backoff.maxDelayMs", error);
        if (request.MaxDelayMs < request.DelayMs)
        {
            error("backoff.maxDelayMs", "must not be less than delayMs");
        }

        return request is { Kind: { } kind, DelayMs: { } delay }
            ? new Backoff(kind, TimeSpan.FromMilliseconds(delay), request.MaxDelayMs is { } max ? TimeSpan.FromMilliseconds(max) : null)
            : null;
    }

    private static void CheckIdempotencyKey(string? key, Action<string, string> error)
    {
        if (key is null)
        {
            return;
        }

        if (key.Length is 0 or > 200)
        {
            error("idempotencyKey", "must be 1 to 200 characters");
        }
        else if (key.Any(char.IsControl))
        {
            error("idempotencyKey", "must not contain control characters");
        }
    }

    private static void CheckRange(long? value, long min, long max, string field, Action<string, string> error)
    {
        if (value is { } v && (v < min || v > max))
        {
            error(field, $"must be between {min} and {max}");
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
