using System.Globalization;
using System.Text.Json;
using Jobs.Handlers;

namespace Jobs.JobTypes.Rating;

/// <summary>
/// Reads the fields of a JSON object of a card or cdr payload, recording a problem at the field's path (for
/// example <c>columns.prefix</c>) when a value is missing, of the wrong kind or out of range.
/// </summary>
internal sealed class PayloadFields(JsonElement obj, string path, PayloadValidation validation)
{
    /// <summary>The object's path in the payload, with a trailing dot ("" at the top).</summary>
    private readonly string _prefix = path.Length == 0 ? "" : path + ".";

    public PayloadValidation Validation => validation;

    /// <summary>Whether the field is present and not null.</summary>
    public bool Has(string name) => obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The path of a field of this object.</summary>
    public string PathOf(string name) => _prefix + name;

    /// <summary>Records a problem with the field <paramref name="name"/>.</summary>
    public void Problem(string name, string message) => validation.Add(PathOf(name), message);

    /// <summary>Records a problem for every field not in <paramref name="known"/>, listing those that are.</summary>
    public void RefuseUnknown(IReadOnlyCollection<string> known, string what)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                Problem(property.Name, $"is not a field of {what} ({string.Join(", ", known)})");
            }
        }
    }

    public JsonElement? Element(string name) => obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
        ? value
        : null;

    /// <summary>A string of 1 to <paramref name="maxLength"/> characters after trimming, or null when absent.</summary>
    public string? String(string name, int maxLength, bool required = false)
    {
        if (Element(name) is not { } value)
        {
            Missing(name, required, "a string");
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (text is null || text.Length == 0 || text.Length > maxLength)
        {
            Problem(name, $"must be a non-empty string of at most {maxLength} characters");
            return null;
        }

        return text;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    public long? Integer(string name, long min, long max, bool required = false)
    {
        if (Element(name) is not { } value)
        {
            Missing(name, required, "a whole number");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max)
        {
            Problem(name, $"must be a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to "
                + max.ToString("N0", CultureInfo.InvariantCulture));
            return null;
        }

        return number;
    }

    /// <summary>A decimal number in [<paramref name="min"/>, <paramref name="max"/>] (a JSON number or a numeric string).</summary>
    public decimal? Decimal(string name, decimal min, decimal max, bool required = false)
    {
        if (Element(name) is not { } value)
        {
            Missing(name, required, "a number");
            return null;
        }

        var parsed = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
            JsonValueKind.String when decimal.TryParse(
                value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) => number,
            _ => (decimal?)null,
        };
        if (parsed is not { } amount || amount < min || amount > max)
        {
            Problem(name, $"must be a number from {min} to {max}");
            return null;
        }

        return amount;
    }

    public bool? Boolean(string name)
    {
        if (Element(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Problem(name, "must be true or false");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>A UUID given as a string, or null when absent.</summary>
    public Guid? Id(string name, bool required = false)
    {
        if (Element(name) is not { } value)
        {
            Missing(name, required, "an id");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !Guid.TryParse(value.GetString(), out var id))
        {
            Problem(name, "must be an id (a UUID string)");
            return null;
        }

        return id;
    }

    /// <summary>A date and time, ISO 8601 ("2026-03-01T00:00:00" or "2026-03-01"), read as wall-clock time.</summary>
    public DateTime? Time(string name, bool required = false)
    {
        if (Element(name) is not { } value)
        {
            Missing(name, required, "a date and time");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !DateTime.TryParse(
            value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var time))
        {
            Problem(name, "must be an ISO 8601 date and time such as 2026-03-01T00:00:00");
            return null;
        }

        return DateTime.SpecifyKind(time, DateTimeKind.Unspecified);
    }

    /// <summary>One of <paramref name="choices"/>, or null when absent.</summary>
    public string? Choice(string name, IReadOnlyCollection<string> choices, bool required = false)
    {
        if (Element(name) is not { } value)
        {
            Missing(name, required, $"one of {string.Join(", ", choices)}");
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (text is null || !choices.Contains(text))
        {
            Problem(name, $"must be one of {string.Join(", ", choices)}");
            return null;
        }

        return text;
    }

    /// <summary>The fields of a nested object, or null when absent (or not an object, which is recorded).</summary>
    public PayloadFields? Object(string name, bool required = false)
    {
        if (Element(name) is not { } value)
        {
            Missing(name, required, "an object");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem(name, "must be a JSON object");
            return null;
        }

        return new PayloadFields(value, PathOf(name), validation);
    }

    /// <summary>The items of an array of <paramref name="min"/> to <paramref name="max"/> items, or null.</summary>
    public IReadOnlyList<JsonElement>? Array(string name, int min, int max, bool required = false)
    {
        if (Element(name) is not { } value)
        {
            Missing(name, required, "a list");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() < min || value.GetArrayLength() > max)
        {
            Problem(name, $"must be a list of {min} to {max} items");
            return null;
        }

        return [.. value.EnumerateArray()];
    }

    private void Missing(string name, bool required, string what)
    {
        if (required)
        {
            Problem(name, $"is required: {what}");
        }
    }
}
