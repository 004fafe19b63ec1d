using System.Globalization;
using System.Text.Json;
using Jobs.Handlers;

namespace Jobs.JobTypes.Send;

/// <summary>Reads a payload's <c>values</c>: names to strings, numbers or booleans, all used as text.</summary>
internal static class TemplateValues
{
    public static IReadOnlyDictionary<string, string> None { get; } = new Dictionary<string, string>();

    /// <summary>The values, or null when the payload has none.</summary>
    public static Dictionary<string, string>? Read(JsonElement payload, PayloadValidation validation)
    {
        if (!payload.TryGetProperty("values", out var values) || values.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (values.ValueKind != JsonValueKind.Object)
        {
            validation.Add("values", "must be an object of names to strings, numbers or booleans.");
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in values.EnumerateObject())
        {
            var text = ToText(property.Value);
            if (text is null)
            {
                validation.Add($"values.{property.Name}", "must be a string, a number or a boolean.");
            }
            else if (text.Length > SendLimits.MaxValueLength)
            {
                validation.Add($"values.{property.Name}", $"is longer than {SendLimits.MaxValueLength} characters.");
            }
            else
            {
                result[property.Name] = text;
            }
        }

        return result;
    }

    private static string? ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => bool.TrueString.ToLower(CultureInfo.InvariantCulture),
        JsonValueKind.False => bool.FalseString.ToLower(CultureInfo.InvariantCulture),
        _ => null,
    };
}
