using System.Net.Http.Headers;
using System.Text;
using Jobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Api;

/// <summary>
/// Thousands of generated bad requests to every route, as an operator and as a tenant: wrong types, huge values,
/// invalid UTF-8, missing fields, injection strings, deep nesting, giant strings, bad ids and headers. None may get
/// a 5xx, and none may store anything.
/// </summary>
public sealed class MalformedInputTests(JobsApp app) : IClassFixture<JobsApp>
{
    private static readonly string[] BadIds =
        ["not-a-guid", "1", "%00", "'; DROP TABLE jobs.job_index; --", new string('f', 5_000), "00000000-0000-0000-0000-00000000000g"];

    private static readonly string[] BadTypes =
        ["fax", "NOOP", "noop;drop", "%27", "<script>", new string('t', 3_000), "..", "bulk%00"];

    private static readonly string[] BadQueries =
    [
        "type=", "type=fax", "type=noop&status=done", "type=noop&limit=0", "type=noop&limit=-1",
        "type=noop&limit=99999999999999999999", "type=noop&from=yesterday", "type=noop&cursor=%FF%FE",
        "type=noop&cursor=" + new string('A', 10_000), "type=noop&to=2020-01-01&from=2021-01-01",
        "type=noop&tenant=x'%20OR%201=1--", "after=-1", "after=abc", "limit=1001", "limit=1e3",
        "tenant=" + new string('z', 500), "tenant=%00",
    ];

    [Fact]
    public async Task EveryRoute_WithGeneratedBadInput_NeverAnswers5xx_AndStoresNothing()
    {
        var tenant = await app.ClientForNewKeyAsync("fuzz");
        var clients = new[] { app.Operator(), tenant };
        var stored = await StoredAsync();
        var settings = await app.Operator().GetStringAsync("/api/queues/noop/settings");
        var requests = Generate().ToList();
        Assert.True(requests.Count >= 2_000, $"only {requests.Count} requests generated");

        var failures = new List<string>();
        await Parallel.ForEachAsync(requests.Select((r, i) => (r, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (item, _) =>
            {
                var (request, i) = item;
                using var message = request.Build();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    using var response = await clients[i % 2].SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    if ((int)response.StatusCode >= 500)
                    {
                        lock (failures)
                        {
                            failures.Add($"{request} -> {(int)response.StatusCode}");
                        }
                    }
                }
                catch (OperationCanceledException) when (request.MayStream)
                {
                    // A well-formed stream request stays open; that is not a failure.
                }
            });

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(stored, await StoredAsync());
        Assert.Equal(settings, await app.Operator().GetStringAsync("/api/queues/noop/settings"));
    }

    private async Task<(long Jobs, long Files, long Keys, long Scripts, long Schedules)> StoredAsync() => (
        await app.CountAsync("SELECT count(*) FROM jobs.job_index"),
        await app.CountAsync("SELECT count(*) FROM jobs.file"),
        await app.CountAsync("SELECT count(*) FROM jobs.api_key"),
        await app.CountAsync("SELECT count(*) FROM jobs.script_version"),
        await app.CountAsync("SELECT count(*) FROM jobs.script_schedule"));

    private IEnumerable<BadRequest> Generate()
    {
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .ToList();
        foreach (var (method, pattern) in routes)
        {
            var paths = Paths(pattern).ToList();
            if (pattern.EndsWith("/settings", StringComparison.Ordinal))
            {
                // Settings bodies are only read for a real queue; every generated body is invalid, so none may stick.
                paths.Add(pattern.Replace("{type}", "noop", StringComparison.Ordinal));
            }

            var streams = pattern.EndsWith("/events", StringComparison.Ordinal);
            foreach (var path in paths)
            {
                foreach (var query in BadQueries)
                {
                    yield return new BadRequest(method, $"{path}?{query}", null, null, streams && !path.Contains('{', StringComparison.Ordinal));
                }

                yield return new BadRequest(method, path, null, null, streams, LastEventId: "-1");
                yield return new BadRequest(method, path, null, null, streams, LastEventId: "１２");
            }

            // Bodies go to the last form of the path: a well-formed id nobody owns, or the route itself.
            foreach (var (body, contentType) in Bodies())
            {
                yield return new BadRequest(method, paths[^1], body, contentType, streams);
            }
        }
    }

    /// <summary>The route with each placeholder filled by bad values, plus one well-formed id nobody owns.</summary>
    private static IEnumerable<string> Paths(string pattern)
    {
        var route = pattern.TrimEnd('/').Replace("{version:int}", "1", StringComparison.Ordinal);
        if (route.Contains("{id:guid}", StringComparison.Ordinal))
        {
            foreach (var id in BadIds.Append(Guid.NewGuid().ToString()))
            {
                yield return route.Replace("{id:guid}", Uri.EscapeDataString(id), StringComparison.Ordinal);
            }
        }
        else if (route.Contains("{type}", StringComparison.Ordinal))
        {
            foreach (var type in BadTypes)
            {
                yield return route.Replace("{type}", Uri.EscapeDataString(type), StringComparison.Ordinal);
            }
        }
        else
        {
            yield return route;
        }
    }

    private static List<(byte[] Body, string ContentType)> Bodies()
    {
        static (byte[], string) Json(string text) => (Encoding.UTF8.GetBytes(text), "application/json");
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var giant = "{\"type\":\"" + new string('x', 3 * 1024 * 1024) + "\"}";
        var bodies = new List<(byte[], string)>
        {
            Json(""), Json("null"), Json("[]"), Json("42"), Json("\"text\""), Json("{"), Json("{\"type\":}"),
            Json("{\"type\":123}"), Json("{\"type\":\"noop\",\"attempts\":\"three\"}"),
            Json("{\"type\":\"noop\",\"attempts\":1e400}"), Json("{\"type\":\"noop\",\"priority\":99999999999999999999}"),
            Json("{\"type\":\"noop\",\"payload\":[]}"), Json("{\"type\":\"noop\",\"unknown\":true}"),
            Json("{\"type\":\"noop\",\"payload\":{\"durationMs\":-5}}"), Json("{\"type\":\"noop\",\"runAt\":\"tomorrow\"}"),
            Json("{\"type\":\"noop\",\"tenant\":\"' OR 1=1 --\",\"payload\":{\"failMessage\":5}}"),
            Json("{\"type\":\"noop\",\"backoff\":{\"kind\":\"sideways\",\"delayMs\":1}}"),
            Json("{\"tenant\":\"<script>alert(1)</script>\",\"role\":\"root\"}"), Json("{\"tenant\":null,\"role\":null}"),
            Json("{\"action\":\"delete\",\"filter\":{\"tenant\":\"x\",\"type\":\"bulk\"}}"),
            Json("{\"action\":\"drop\",\"filter\":[]}"), Json("{\"concurrency\":-1}"), Json("{\"concurrency\":\"∞\"}"),
            Json("{\"defaultBackoff\":{\"kind\":\"fixed\"}}"), Json("{\"completed\":{\"maxAgeMs\":1}}"),
            Json("{\"paused\":\"yes\"}"), Json(deep), Json("{\"a\":" + deep + "}"), Json(giant),
            Json("{\"type\":\"noop\",\"idempotencyKey\":\"" + new string('k', 100_000) + "\"}"),
            ([0x7B, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0xC3, 0x28, 0x22, 0x7D], "application/json"),
            ([0xC0, 0xAF, 0xED, 0xA0, 0x80], "application/json"),
            (Encoding.UTF8.GetBytes("type=noop"), "application/x-www-form-urlencoded"),
            (Encoding.UTF8.GetBytes("{\"type\":\"noop\"}"), "text/plain"),
            (Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--b--\r\n"), "multipart/form-data; boundary=b"),
            (Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\r\n\r\nabc"), "multipart/form-data; boundary=b"),
            (Encoding.UTF8.GetBytes("garbage"), "multipart/form-data"),
            (Encoding.UTF8.GetBytes("garbage"), "multipart/form-data; boundary=" + new string('b', 200)),
            (Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"other\"; filename=\"x.txt\"\r\n\r\nabc\r\n--b--\r\n"), "multipart/form-data; boundary=b"),
        };
        for (var i = 0; i < 10; i++)
        {
            // Random bytes under a JSON content type: whatever they are, they are not a valid request.
            var random = new byte[Random.Shared.Next(1, 4_096)];
            Random.Shared.NextBytes(random);
            random[0] = (byte)'{';
            random[^1] = 0xFF;
            bodies.Add((random, "application/json"));
        }

        return bodies;
    }

    private sealed record BadRequest(string Method, string Path, byte[]? Body, string? ContentType, bool MayStream, string? LastEventId = null)
    {
        public HttpRequestMessage Build()
        {
            var message = new HttpRequestMessage(new HttpMethod(Method), Path);
            if (Body is not null)
            {
                message.Content = new ByteArrayContent(Body);
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            if (LastEventId is not null)
            {
                message.Headers.TryAddWithoutValidation("Last-Event-ID", LastEventId);
            }

            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return message;
        }

        public override string ToString() => $"{Method} {(Path.Length > 120 ? Path[..120] + "…" : Path)} [{ContentType}] {Body?.Length ?? 0} bytes";
    }
}
