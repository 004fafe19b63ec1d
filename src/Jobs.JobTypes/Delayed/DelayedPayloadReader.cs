using System.Text.Json;
using Jobs.Handlers;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// Reads a delayed payload: exactly one of <c>{"http": {...}}</c> (see <see cref="HttpActionReader"/>) and
/// <c>{"job": {...}}</c> (see <see cref="JobActionReader"/>), recording problems at the path of their field.
/// </summary>
internal static class DelayedPayloadReader
{
    /// <summary>The action, or null when <paramref name="validation"/> received at least one problem.</summary>
    public static DelayedAction? Read(
        JsonElement payload, HostPolicy policy, JobHandlerRegistry? handlers, PayloadValidation validation)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            validation.Add("", "must be a JSON object with either http or job.");
            return null;
        }

        foreach (var property in payload.EnumerateObject())
        {
            if (property.Name is not ("http" or "job"))
            {
                validation.Add(property.Name, "is not a field of a delayed payload: use http or job.");
            }
        }

        var hasHttp = payload.TryGetProperty("http", out var http) && http.ValueKind != JsonValueKind.Null;
        var hasJob = payload.TryGetProperty("job", out var job) && job.ValueKind != JsonValueKind.Null;
        if (hasHttp == hasJob)
        {
            validation.Add("", hasHttp ? "has both http and job; give one action." : "needs an action: http or job.");
            return null;
        }

        DelayedAction? action = hasHttp
            ? HttpActionReader.Read(http, policy, validation)
            : JobActionReader.Read(job, handlers, validation);
        return validation.IsValid ? action : null;
    }
}
