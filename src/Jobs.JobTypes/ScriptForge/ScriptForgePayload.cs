using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.Handlers;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// The payload of a <c>scriptforge</c> job, read and checked field by field.
/// <code>
/// { "source": "function main(a) { … }" }          the script itself, or
/// { "scriptId": "…", "version": 3 }                a stored script of the job's tenant; version absent or null means
///                                                  the latest version when the attempt starts
/// "function": "main"                               optional: the global function to call; without it the script's
///                                                  completion value (its last expression statement) is the result
/// "arguments": [1, "two"]                          optional, only with "function": an array is the argument list,
///                                                  any other value the single argument (so [[1, 2]] passes one array)
/// "limits": { "timeoutMs": 500, "maxStatements": 10000, "memoryMb": 8, "recursionDepth": 32 }
///                                                  optional, each at most the operator's value (it can only lower)
/// "scheduleId", "scheduledFor"                     set by schedules; scripts see scheduledFor as job.scheduledFor
/// </code>
/// Other fields are allowed and ignored.
/// </summary>
public sealed partial record ScriptForgePayload
{
    /// <summary>The longest function name accepted.</summary>
    public const int MaxFunctionNameLength = 128;

    public string? Source { get; init; }

    public Guid? ScriptId { get; init; }

    /// <summary>The stored version to run; null runs the latest.</summary>
    public int? Version { get; init; }

    public string? Function { get; init; }

    /// <summary>The JSON text of <c>arguments</c>, or null when there are none.</summary>
    public string? ArgumentsJson { get; init; }

    public ScriptLimitRequest? Limits { get; init; }

    /// <summary>The occurrence a schedule created this job for (ISO 8601), or null.</summary>
    public string? ScheduledFor { get; init; }

    /// <summary>True when <paramref name="name"/> can name a global function: a plain JavaScript identifier.</summary>
    public static bool IsFunctionName(string? name) =>
        name is { Length: > 0 and <= MaxFunctionNameLength } && IdentifierPattern().IsMatch(name);

    /// <summary>Reads <paramref name="payload"/>, recording every problem in <paramref name="errors"/>.</summary>
    /// <returns>The payload, or null when it has errors.</returns>
    public static ScriptForgePayload? Read(JsonElement payload, PayloadValidation errors)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", "must be a JSON object");
            return null;
        }

        var source = ReadSource(payload, errors);
        var (scriptId, version) = ReadScriptReference(payload, errors);
        if (source is null && scriptId is null && !payload.TryGetProperty("source", out _)
            && !payload.TryGetProperty("scriptId", out _))
        {
            errors.Add("source", "either 'source' (the script) or 'scriptId' (a stored script) is required");
        }

        if (source is not null && scriptId is not null)
        {
            errors.Add("scriptId", "give either 'source' or 'scriptId', not both");
        }

        var function = ReadFunction(payload, errors);
        var arguments = ReadArguments(payload, function, errors);
        var limits = ReadLimits(payload, errors);
        var scheduledFor = payload.TryGetProperty("scheduledFor", out var at) && at.ValueKind == JsonValueKind.String
            ? at.GetString()
            : null;

        return !errors.IsValid ? null : new ScriptForgePayload
        {
            Source = source,
            ScriptId = scriptId,
            Version = version,
            Function = function,
            ArgumentsJson = arguments,
            Limits = limits,
            ScheduledFor = scheduledFor,
        };
    }

    private static string? ReadSource(JsonElement payload, PayloadValidation errors)
    {
        if (!payload.TryGetProperty("source", out var source))
        {
            return null;
        }

        if (source.ValueKind != JsonValueKind.String || source.GetString() is not { Length: > 0 } text)
        {
            errors.Add("source", "must be a non-empty string holding the script");
            return null;
        }

        if (text.Length > ScriptStore.MaxSourceLength)
        {
            errors.Add("source", $"must be at most {ScriptStore.MaxSourceLength:N0} characters; it has {text.Length:N0}");
            return null;
        }

        return text;
    }

    private static (Guid? Id, int? Version) ReadScriptReference(JsonElement payload, PayloadValidation errors)
    {
        Guid? id = null;
        if (payload.TryGetProperty("scriptId", out var idElement))
        {
            if (idElement.ValueKind == JsonValueKind.String && Guid.TryParse(idElement.GetString(), out var parsed))
            {
                id = parsed;
            }
            else
            {
                errors.Add("scriptId", "must be the id (a UUID) of a stored script");
            }
        }

        if (!payload.TryGetProperty("version", out var versionElement) || versionElement.ValueKind == JsonValueKind.Null)
        {
            return (id, null);
        }

        if (!payload.TryGetProperty("scriptId", out _))
        {
            errors.Add("version", "is only used with 'scriptId'");
            return (id, null);
        }

        if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out var version) || version < 1)
        {
            errors.Add("version", "must be a whole number from 1, or null for the latest version");
            return (id, null);
        }

        return (id, version);
    }

    private static string? ReadFunction(JsonElement payload, PayloadValidation errors)
    {
        if (!payload.TryGetProperty("function", out var function) || function.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var name = function.ValueKind == JsonValueKind.String ? function.GetString() : null;
        if (!IsFunctionName(name))
        {
            errors.Add("function",
                $"must be the name of a global function: a JavaScript identifier of at most {MaxFunctionNameLength} characters");
            return null;
        }

        return name;
    }

    private static string? ReadArguments(JsonElement payload, string? function, PayloadValidation errors)
    {
        if (!payload.TryGetProperty("arguments", out var arguments) || arguments.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (function is null && !payload.TryGetProperty("function", out _))
        {
            errors.Add("arguments", "is only used with 'function': name the function to pass them to");
            return null;
        }

        return arguments.GetRawText();
    }

    private static ScriptLimitRequest? ReadLimits(JsonElement payload, PayloadValidation errors)
    {
        if (!payload.TryGetProperty("limits", out var limits) || limits.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (limits.ValueKind != JsonValueKind.Object)
        {
            errors.Add("limits", "must be an object with any of timeoutMs, maxStatements, memoryMb, recursionDepth");
            return null;
        }

        foreach (var property in limits.EnumerateObject())
        {
            if (property.Name is not ("timeoutMs" or "maxStatements" or "memoryMb" or "recursionDepth"))
            {
                errors.Add($"limits.{property.Name}", "is not a limit; the limits are timeoutMs, maxStatements, memoryMb, recursionDepth");
            }
        }

        return new ScriptLimitRequest(
            ReadPositive(limits, "timeoutMs", errors),
            ReadPositive(limits, "maxStatements", errors),
            ReadPositive(limits, "memoryMb", errors),
            ReadPositive(limits, "recursionDepth", errors));
    }

    private static int? ReadPositive(JsonElement limits, string name, PayloadValidation errors)
    {
        if (!limits.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0)
        {
            return number;
        }

        errors.Add($"limits.{name}", "must be a whole number greater than zero");
        return null;
    }

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
