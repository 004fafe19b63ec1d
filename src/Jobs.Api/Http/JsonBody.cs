using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Api.Http;

/// <summary>
/// Reads a JSON request body strictly: unknown fields and wrong types are refused with the field's path and the
/// line and column where the problem is, and bodies above a size limit are refused with 413. Minimal APIs' own
/// binding says only that the body could not be read.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Strict = CreateStrict();

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, long maxBytes)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (!(request.HasJsonContentType()))
        {
            return (null, Problems.Validation("body", "send a JSON body with Content-Type: application/json"));
        }

        using var buffer = new MemoryStream();
        var read = await CopyLimitedAsync(request.Body, buffer, maxBytes, request.HttpContext.RequestAborted);
        if (!read)
        {
            return (null, TooLarge(maxBytes));
        }

        buffer.Position = 0;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(buffer, Strict, request.HttpContext.RequestAborted);
            return value is null ? (null, Problems.Validation("body", "must be a JSON object, not null")) : (value, null);
        }
        catch (JsonException exception)
        {
            return (null, Describe(exception));
        }
    }

    private static async Task<bool> CopyLimitedAsync(Stream source, Stream target, long maxBytes, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        long total = 0;
        int count;
        while ((count = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += count;
            if (total > maxBytes)
            {
                return false;
            }

            await target.WriteAsync(chunk.AsMemory(0, count), cancellationToken);
        }

        return true;
    }

    private static IResult Describe(JsonException exception)
    {
        var field = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal)
            ? path[2..]
            : "body";
        var where = exception.LineNumber is { } line
            ? $" (line {line + 1}, column {(exception.BytePositionInLine ?? 0) + 1})"
            : "";
        var message = exception.Message switch
        {
            var m when m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) => "is not a known field",
            var m when m.Contains("could not be converted", StringComparison.Ordinal) => "has the wrong type or an out-of-range value",
            _ when exception.InnerException is FormatException or OverflowException => "has an invalid value",
            _ => "is not valid JSON",
        };

        // The unknown-member error names the member; some runtimes also end the path with it, some do not.
        if (message == "is not a known field" && TryQuoted(exception.Message, out var member)
            && field != member && !field.EndsWith("." + member, StringComparison.Ordinal))
        {
            field = field == "body" ? member : $"{field}.{member}";
        }

        return Problems.Validation(field, message + where);
    }

    private static bool TryQuoted(string text, out string quoted)
    {
        var start = text.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf('\'', start + 1);
        quoted = end > start ? text[(start + 1)..end] : "";
        return end > start;
    }

    private static IResult TooLarge(long maxBytes) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body must be at most {maxBytes:N0} bytes.");

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            MaxDepth = 64,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.TypeInfoResolver ??= new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>ProblemDetails shapes the API answers with.</summary>
public static class Problems
{
    public static IResult Validation(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Validation(IDictionary<string, string[]> errors) => Results.ValidationProblem(errors);

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);

    public static IResult Conflict(string reason, string title = "Not allowed in the job's status") =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: reason);
}
