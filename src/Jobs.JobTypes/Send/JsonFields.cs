using System.Text.Json;
using Jobs.Handlers;

namespace Jobs.JobTypes.Send;

/// <summary>Reads optional fields of a JSON object, recording a problem when one has the wrong kind of value.</summary>
internal static class JsonFields
{
    /// <summary>
    /// Reads <paramref name="name"/> as a string: <paramref name="value"/> is null when the field is missing or null.
    /// Returns false, with a problem recorded at <paramref name="path"/>, when it holds anything but a string.
    /// </summary>
    public static bool TryGetString(
        JsonElement obj, string name, string path, PayloadValidation validation, out string? value)
    {
        value = null;
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            validation.Add(path, "must be a string.");
            return false;
        }

        value = element.GetString();
        return true;
    }
}
