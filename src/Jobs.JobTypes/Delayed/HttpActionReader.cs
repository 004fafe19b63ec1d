using System.Net;
using System.Text.Json;
using Jobs.Handlers;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// Reads <c>http</c>: <c>method</c> (default GET), <c>url</c> (absolute http or https), <c>headers</c> (names to
/// values) and <c>body</c> (text, or any other JSON value sent as JSON).
/// </summary>
internal static class HttpActionReader
{
    public const int MaxUrlLength = 2048;
    public const int MaxHeaders = 50;
    public const int MaxHeaderValueLength = 8192;
    public const int MaxBodyLength = 1024 * 1024;

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
    };

    // Framing and routing belong to the HTTP client; letting a payload set them invites request smuggling.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer",
        "Proxy-Authorization", "Proxy-Connection",
    };

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "method", "url", "headers", "body",
    };

    public static HttpAction? Read(JsonElement http, HostPolicy policy, PayloadValidation validation)
    {
        if (http.ValueKind != JsonValueKind.Object)
        {
            validation.Add("http", "must be an object with method, url, headers and body.");
            return null;
        }

        foreach (var property in http.EnumerateObject().Where(p => !KnownFields.Contains(p.Name)))
        {
            validation.Add($"http.{property.Name}", "is not a field of an HTTP action.");
        }

        var method = ReadMethod(http, validation);
        var url = ReadUrl(http, policy, validation);
        var headers = ReadHeaders(http, validation);
        var (body, contentType) = ReadBody(http, method, headers, validation);
        return method is null || url is null ? null : new HttpAction(method, url, headers, body, contentType);
    }

    private static HttpMethod? ReadMethod(JsonElement http, PayloadValidation validation)
    {
        if (!http.TryGetProperty("method", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return HttpMethod.Get;
        }

        var method = element.ValueKind == JsonValueKind.String ? element.GetString()!.ToUpperInvariant() : null;
        if (method is null || !Methods.Contains(method))
        {
            validation.Add("http.method", $"must be one of {string.Join(", ", Methods)}.");
            return null;
        }

        return HttpMethod.Parse(method);
    }

    private static Uri? ReadUrl(JsonElement http, HostPolicy policy, PayloadValidation validation)
    {
        if (!http.TryGetProperty("url", out var element) || element.ValueKind != JsonValueKind.String)
        {
            validation.Add("http.url", "is required: an absolute http or https URL.");
            return null;
        }

        var text = element.GetString()!;
        var problem = UrlProblem(text, out var url);
        if (problem is null && IPAddress.TryParse(HostPolicy.NormalizeHost(url!.Host), out var literal)
            && policy.Refusal(url.Host, literal) is { } refusal)
        {
            problem = $"points at {refusal}, which is not among the allowed hosts "
                + $"({DelayedOptions.SectionName}:AllowedHosts).";
        }

        if (problem is not null)
        {
            validation.Add("http.url", problem);
            return null;
        }

        return url;
    }

    private static string? UrlProblem(string text, out Uri? url)
    {
        url = null;
        if (text.Length > MaxUrlLength)
        {
            return $"is longer than {MaxUrlLength} characters.";
        }

        // On Unix a bare path parses as an absolute file URI; it is a relative URL to whoever wrote it.
        if (text.Any(char.IsControl) || !Uri.TryCreate(text, UriKind.Absolute, out url)
            || (url.IsFile && !text.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            return "is not an absolute URL.";
        }

        if (url.Scheme is not ("http" or "https"))
        {
            return $"uses the scheme '{url.Scheme}'; only http and https are allowed.";
        }

        if (url.UserInfo.Length > 0)
        {
            return "carries credentials; send them in a header (for example Authorization) instead.";
        }

        return url.Host.Length == 0 ? "has no host." : null;
    }

    private static List<KeyValuePair<string, string>> ReadHeaders(JsonElement http, PayloadValidation validation)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (!http.TryGetProperty("headers", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return headers;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            validation.Add("http.headers", "must be an object of header names to values.");
            return headers;
        }

        foreach (var header in element.EnumerateObject())
        {
            var problem = HeaderProblem(header);
            if (problem is null)
            {
                headers.Add(new(header.Name, header.Value.GetString()!));
            }
            else
            {
                validation.Add($"http.headers.{header.Name}", problem);
            }
        }

        if (headers.Count > MaxHeaders)
        {
            validation.Add("http.headers", $"has {headers.Count} headers; at most {MaxHeaders} are allowed.");
        }

        return headers;
    }

    private static string? HeaderProblem(JsonProperty header)
    {
        if (header.Name.Length == 0 || !header.Name.All(IsTokenChar))
        {
            return "is not a valid header name.";
        }

        if (ReservedHeaders.Contains(header.Name))
        {
            return "is set by the HTTP client and may not be given.";
        }

        if (header.Value.ValueKind != JsonValueKind.String)
        {
            return "must be a string.";
        }

        var value = header.Value.GetString()!;
        if (value.Length > MaxHeaderValueLength)
        {
            return $"is longer than {MaxHeaderValueLength} characters.";
        }

        return value.Any(c => char.IsControl(c) && c != '\t')
            ? "contains a line break or another control character."
            : null;
    }

    private static (string? Body, string? ContentType) ReadBody(
        JsonElement http, HttpMethod? method, List<KeyValuePair<string, string>> headers, PayloadValidation validation)
    {
        if (!http.TryGetProperty("body", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            foreach (var header in headers.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
            {
                validation.Add($"http.headers.{header.Key}", "describes a body, and the request has none.");
            }

            return (null, null);
        }

        if (method == HttpMethod.Get || method == HttpMethod.Head)
        {
            validation.Add("http.body", $"cannot be sent with {method}.");
            return (null, null);
        }

        var isText = element.ValueKind == JsonValueKind.String;
        var body = isText ? element.GetString()! : element.GetRawText();
        if (body.Length > MaxBodyLength)
        {
            validation.Add("http.body", $"is longer than {MaxBodyLength} characters.");
        }

        var given = headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;
        return (body, given ?? (isText ? "text/plain; charset=utf-8" : "application/json"));
    }

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
