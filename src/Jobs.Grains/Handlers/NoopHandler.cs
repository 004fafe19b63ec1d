using System.Text.Json;

namespace Jobs.Handlers;

/// <summary>
/// The built-in <c>noop</c> type for smoke tests and benchmarks. Payload:
/// <c>{"durationMs": n, "failTimes": k, "failMessage": "…", "ignoreCancellation": false}</c> — it sleeps for n ms
/// and fails its first k runs with the message (runs count across manual retries, so a retried job can succeed).
/// <c>ignoreCancellation</c> makes it sleep through cancellation, to show what the engine does with an attempt that
/// will not stop.
/// </summary>
public sealed class NoopHandler(TimeProvider clock) : IJobHandler
{
    private const int MaxDurationMs = 86_400_000;

    public string Type => JobType.Noop;

    public PayloadValidation Validate(JsonElement payload)
    {
        var validation = PayloadValidation.Valid;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return validation.Add("", "must be a JSON object");
        }

        foreach (var property in payload.EnumerateObject())
        {
            switch (property.Name)
            {
                case "durationMs":
                    CheckInteger(validation, property, 0, MaxDurationMs);
                    break;
                case "failTimes":
                    CheckInteger(validation, property, 0, 1_000);
                    break;
                case "failMessage" when property.Value.ValueKind != JsonValueKind.String:
                    validation.Add(property.Name, "must be a string");
                    break;
                case "failMessage" when property.Value.GetString()!.Length > 1_000:
                    validation.Add(property.Name, "must be at most 1000 characters");
                    break;
                case "ignoreCancellation" when property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                    validation.Add(property.Name, "must be true or false");
                    break;
                case "failMessage" or "ignoreCancellation":
                    break;
                default:
                    validation.Add(property.Name, "is not a field of the noop payload (durationMs, failTimes, failMessage, ignoreCancellation)");
                    break;
            }
        }

        return validation;
    }

    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.Payload;
        var duration = TimeSpan.FromMilliseconds(Read(payload, "durationMs"));
        var failTimes = Read(payload, "failTimes");
        var ignoreCancellation = payload.TryGetProperty("ignoreCancellation", out var ignore) && ignore.GetBoolean();

        if (duration > TimeSpan.Zero)
        {
            await Task.Delay(duration, clock, ignoreCancellation ? CancellationToken.None : cancellationToken);
        }

        if (context.Run <= failTimes)
        {
            var message = payload.TryGetProperty("failMessage", out var text) ? text.GetString() : null;
            return JobOutcome.Failed(message ?? $"noop failure {context.Run} of {failTimes}");
        }

        return JobOutcome.Completed($$"""{"attempt":{{context.Attempt}},"sleptMs":{{(long)duration.TotalMilliseconds}}}""");
    }

    private static void CheckInteger(PayloadValidation validation, JsonProperty property, long min, long max)
    {
        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var value))
        {
            validation.Add(property.Name, "must be a whole number");
        }
        else if (value < min || value > max)
        {
            validation.Add(property.Name, $"must be between {min} and {max}");
        }
    }

    private static int Read(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) ? value.GetInt32() : 0;
}
