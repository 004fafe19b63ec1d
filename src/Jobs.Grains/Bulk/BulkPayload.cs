using System.Globalization;
using System.Text.Json;
using Jobs.Handlers;

namespace Jobs.Bulk;

/// <summary>What a bulk job does: one action on every job that matches the filter when the bulk job starts.</summary>
public sealed record BulkPayload(BulkAction Action, BulkFilter Filter)
{
    /// <summary>The payload's JSON, as stored with the bulk job.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        action = Action.ToString().ToLowerInvariant(),
        filter = new
        {
            type = Filter.Type,
            status = Filter.Status?.ToId(),
            tenant = Filter.Tenant,
            from = Filter.From,
            to = Filter.To,
        },
    }, JobJson.Options);

    /// <summary>Reads and checks a payload; problems are added to <paramref name="validation"/> by field.</summary>
    public static BulkPayload? Read(JsonElement payload, PayloadValidation validation)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            validation.Add("", "must be a JSON object");
            return null;
        }

        BulkAction? action = null;
        BulkFilter? filter = null;
        foreach (var property in payload.EnumerateObject())
        {
            switch (property.Name)
            {
                case "action":
                    action = ReadAction(property.Value, validation);
                    break;
                case "filter":
                    filter = ReadFilter(property.Value, validation);
                    break;
                default:
                    validation.Add(property.Name, "is not a field of a bulk payload (action, filter)");
                    break;
            }
        }

        if (action is null && validation.IsValid)
        {
            validation.Add("action", "is required: retry, cancel or delete");
        }

        return validation.IsValid ? new BulkPayload(action!.Value, filter ?? new BulkFilter()) : null;
    }

    private static BulkAction? ReadAction(JsonElement value, PayloadValidation validation)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (text is "retry" or "cancel" or "delete")
        {
            return Enum.Parse<BulkAction>(text, ignoreCase: true);
        }

        validation.Add("action", "must be retry, cancel or delete");
        return null;
    }

    private static BulkFilter? ReadFilter(JsonElement value, PayloadValidation validation)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            validation.Add("filter", "must be an object with type, status, tenant, from and to, each optional");
            return null;
        }

        var filter = new BulkFilter();
        foreach (var property in value.EnumerateObject())
        {
            var path = "filter." + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : null;
            switch (property.Name)
            {
                case "type" when text is not null && JobType.IsKnown(text) && text != JobType.Bulk:
                    filter = filter with { Type = text };
                    break;
                case "type":
                    validation.Add(path, "must be a job type other than bulk: " + string.Join(", ", JobType.All.Where(t => t != JobType.Bulk)));
                    break;
                case "status" when JobStatuses.TryParse(text, out var status):
                    filter = filter with { Status = status };
                    break;
                case "status":
                    validation.Add(path, "must be one of wait, delayed, active, completed, failed");
                    break;
                case "tenant" when text is { Length: > 0 and <= 100 }:
                    filter = filter with { Tenant = text };
                    break;
                case "tenant":
                    validation.Add(path, "must be a tenant name of 1 to 100 characters");
                    break;
                case "from" or "to" when text is not null && DateTimeOffset.TryParse(
                    text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time):
                    filter = property.Name == "from" ? filter with { From = time } : filter with { To = time };
                    break;
                case "from" or "to":
                    validation.Add(path, "must be an ISO 8601 time, for example 2026-12-03T10:00:00Z");
                    break;
                default:
                    validation.Add(path, "is not a filter field (type, status, tenant, from, to)");
                    break;
            }
        }

        if (filter.From is { } from && filter.To is { } to && to <= from)
        {
            validation.Add("filter.to", "must be after filter.from");
        }

        return filter;
    }
}

public enum BulkAction
{
    Retry,
    Cancel,
    Delete,
}

/// <summary>Which jobs a bulk action touches. Every part is optional; times filter on creation, <c>To</c> exclusive.</summary>
public sealed record BulkFilter
{
    public string? Type { get; init; }
    public JobStatus? Status { get; init; }
    public string? Tenant { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
}
