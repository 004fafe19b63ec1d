using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Api;

/// <summary>
/// Every API route, with two tenants: tenant B can neither see nor act on tenant A's jobs, files, scripts and script
/// schedules, and a tenant key
/// cannot reach operator routes. The routes come from the app's endpoint data source, so a new route without a row
/// here fails the test.
/// </summary>
public sealed class TenantIsolationTests(JobsApp app) : IClassFixture<JobsApp>
{
    private const string TenantA = "iso-a";
    private const string TenantB = "iso-b";

    [Fact]
    public async Task EveryRoute_TenantB_CannotSeeOrTouchTenantA()
    {
        var a = await app.ClientForNewKeyAsync(TenantA);
        var b = await app.ClientForNewKeyAsync(TenantB);
        var world = await ArrangeAsync(a);
        var rows = Rows(a, b, world);

        var routes = ApiRoutes();
        var missing = routes.Except(rows.Keys).ToList();
        Assert.True(missing.Count == 0, "routes without an isolation row: " + string.Join(", ", missing));

        foreach (var (route, check) in rows)
        {
            Assert.Contains(route, routes);
            await check();
        }
    }

    [Fact]
    public async Task UnknownJob_And_OtherTenantsJob_AnswerTheSame404()
    {
        var a = await app.ClientForNewKeyAsync(TenantA);
        var b = await app.ClientForNewKeyAsync(TenantB);
        var job = await a.CreateJobAsync(new { type = "noop", payload = new { } });
        var unknown = Guid.NewGuid().ToString();

        using var theirs = await b.GetAsync($"/api/jobs/{job.Id()}");
        using var none = await b.GetAsync($"/api/jobs/{unknown}");

        var p1 = await theirs.AssertProblemAsync(HttpStatusCode.NotFound);
        var p2 = await none.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(p2.GetProperty("title").GetString(), p1.GetProperty("title").GetString());
        Assert.Equal(
            p2.GetProperty("detail").GetString()!.Replace(unknown, "ID", StringComparison.Ordinal),
            p1.GetProperty("detail").GetString()!.Replace(job.Id(), "ID", StringComparison.Ordinal));
    }

    private sealed record World(
        string Completed, string Failed, string Delayed, string FileId, string KeyId, string ScriptId, string ScheduleId);

    private async Task<World> ArrangeAsync(HttpClient a)
    {
        var completed = await a.CreateJobAsync(new { type = "noop", payload = new { } });
        var failed = await a.CreateJobAsync(new { type = "noop", payload = new { failTimes = 5 }, attempts = 1 });
        var delayed = await a.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 3_600_000 });
        await a.WaitForStatusAsync(completed.Id(), "completed");
        await a.WaitForStatusAsync(failed.Id(), "failed");
        using var upload = await a.PostAsync("/api/files", FileContent("a.csv", "1,2,3\n"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var file = await upload.ReadJsonAsync();
        var key = await app.CreateKeyAsync(TenantA);
        var script = await ScriptApiTests.CreateAsync(a, "a-script", "function main() { return 1 }");
        using var schedule = await a.PostAsJsonAsync("/api/scripts/schedules", new { scriptId = script.Id(), cron = "0 0 0 1 1 *" });
        var scheduleId = (await ScriptApiTests.ReadAsync(schedule, HttpStatusCode.Created)).Id();
        return new World(completed.Id(), failed.Id(), delayed.Id(), file.GetProperty("id").GetString()!,
            key.GetProperty("id").GetString()!, script.Id(), scheduleId);
    }

    private Dictionary<string, Func<Task>> Rows(HttpClient a, HttpClient b, World w) => new(StringComparer.Ordinal)
    {
        ["POST /api/jobs/"] = async () =>
        {
            using var response = await b.PostAsJsonAsync("/api/jobs", new { type = "noop", payload = new { }, tenant = TenantA });
            await response.AssertFieldErrorAsync("tenant");
        },
        ["GET /api/jobs/{id:guid}"] = () => NotFoundAsync(b.GetAsync($"/api/jobs/{w.Completed}")),
        ["GET /api/jobs/"] = async () =>
        {
            using var other = await b.GetAsync($"/api/jobs?type=noop&tenant={TenantA}");
            await other.AssertFieldErrorAsync("tenant");
            var own = await b.GetFromJsonAsync<JsonElement>("/api/jobs?type=noop");
            Assert.Empty(own.GetProperty("items").EnumerateArray());
        },
        ["GET /api/jobs/{id:guid}/logs"] = () => NotFoundAsync(b.GetAsync($"/api/jobs/{w.Completed}/logs")),
        ["POST /api/jobs/{id:guid}/retry"] = async () =>
        {
            await NotFoundAsync(b.PostAsync($"/api/jobs/{w.Failed}/retry", null));
            Assert.Equal("failed", (await a.GetJobAsync(w.Failed)).Status());
        },
        ["POST /api/jobs/{id:guid}/cancel"] = async () =>
        {
            await NotFoundAsync(b.PostAsync($"/api/jobs/{w.Delayed}/cancel", null));
            Assert.Equal("delayed", (await a.GetJobAsync(w.Delayed)).Status());
        },
        ["POST /api/jobs/{id:guid}/promote"] = async () =>
        {
            await NotFoundAsync(b.PostAsync($"/api/jobs/{w.Delayed}/promote", null));
            Assert.Equal("delayed", (await a.GetJobAsync(w.Delayed)).Status());
        },
        ["DELETE /api/jobs/{id:guid}"] = async () =>
        {
            await NotFoundAsync(b.DeleteAsync($"/api/jobs/{w.Completed}"));
            Assert.Equal("completed", (await a.GetJobAsync(w.Completed)).Status());
        },
        ["GET /api/jobs/{id:guid}/events"] = () => NotFoundAsync(b.GetAsync($"/api/jobs/{w.Completed}/events")),
        ["GET /api/events"] = async () =>
        {
            using var response = await b.GetAsync($"/api/events?tenant={TenantA}");
            await response.AssertFieldErrorAsync("tenant");
        },
        ["POST /api/bulk"] = async () =>
        {
            using var response = await b.PostAsJsonAsync("/api/bulk", new { action = "delete", filter = new { tenant = TenantA } });
            await response.AssertFieldErrorAsync("filter.tenant");
        },
        ["GET /api/queues/"] = async () =>
        {
            var queues = await b.GetFromJsonAsync<JsonElement>("/api/queues");
            var noop = queues.EnumerateArray().Single(q => q.GetProperty("type").GetString() == "noop");
            var counts = noop.GetProperty("counts");
            Assert.All(["wait", "delayed", "active", "completed", "failed"], s => Assert.Equal(0, counts.GetProperty(s).GetInt64()));
        },
        ["GET /api/queues/{type}/throughput"] = async () =>
        {
            var theirs = await b.GetFromJsonAsync<JsonElement>("/api/queues/noop/throughput?minutes=60");
            Assert.Empty(theirs.GetProperty("buckets").EnumerateArray());
            var own = await a.GetFromJsonAsync<JsonElement>("/api/queues/noop/throughput?minutes=60");
            Assert.NotEmpty(own.GetProperty("buckets").EnumerateArray());
        },
        ["POST /api/queues/{type}/pause"] = () => ForbiddenAsync(b.PostAsync("/api/queues/noop/pause", null)),
        ["POST /api/queues/{type}/resume"] = () => ForbiddenAsync(b.PostAsync("/api/queues/noop/resume", null)),
        ["GET /api/queues/{type}/settings"] = () => ForbiddenAsync(b.GetAsync("/api/queues/noop/settings")),
        ["PUT /api/queues/{type}/settings"] = () => ForbiddenAsync(b.PutAsJsonAsync("/api/queues/noop/settings", new { concurrency = 1 })),
        ["POST /api/files/"] = async () =>
        {
            using var response = await b.PostAsync("/api/files", FileContent("b.txt", "b"u8.ToArray()));
            Assert.Equal(TenantB, (await response.ReadJsonAsync()).GetProperty("tenant").GetString());
        },
        ["GET /api/files/{id:guid}"] = () => NotFoundAsync(b.GetAsync($"/api/files/{w.FileId}")),
        ["POST /api/scripts/"] = async () =>
        {
            using var response = await b.PostAsJsonAsync("/api/scripts", new { name = "x", source = "1", tenant = TenantA });
            await response.AssertFieldErrorAsync("tenant");
        },
        ["GET /api/scripts/"] = async () =>
        {
            using var other = await b.GetAsync($"/api/scripts?tenant={TenantA}");
            await other.AssertFieldErrorAsync("tenant");
            var own = await b.GetFromJsonAsync<JsonElement>("/api/scripts?limit=100");
            Assert.DoesNotContain(w.ScriptId, own.GetProperty("items").EnumerateArray().Select(s => s.Id()));
        },
        ["GET /api/scripts/{id:guid}"] = () => NotFoundAsync(b.GetAsync($"/api/scripts/{w.ScriptId}")),
        ["POST /api/scripts/{id:guid}/versions"] = async () =>
        {
            await NotFoundAsync(b.PostAsJsonAsync($"/api/scripts/{w.ScriptId}/versions", new { source = "2" }));
            var script = await a.GetFromJsonAsync<JsonElement>($"/api/scripts/{w.ScriptId}");
            Assert.Equal(1, script.GetProperty("version").GetInt32());
        },
        ["GET /api/scripts/{id:guid}/versions/{version:int}"] = () =>
            NotFoundAsync(b.GetAsync($"/api/scripts/{w.ScriptId}/versions/1")),
        ["POST /api/scripts/schedules/"] = async () =>
        {
            using var response = await b.PostAsJsonAsync("/api/scripts/schedules", new { scriptId = w.ScriptId, cron = "* * * * * *" });
            await response.AssertFieldErrorAsync("scriptId");
        },
        ["GET /api/scripts/schedules/"] = async () =>
        {
            using var other = await b.GetAsync($"/api/scripts/schedules?tenant={TenantA}");
            await other.AssertFieldErrorAsync("tenant");
            var own = await b.GetFromJsonAsync<JsonElement>("/api/scripts/schedules?limit=100");
            Assert.DoesNotContain(w.ScheduleId, own.GetProperty("items").EnumerateArray().Select(s => s.Id()));
        },
        ["GET /api/scripts/schedules/{id:guid}"] = () => NotFoundAsync(b.GetAsync($"/api/scripts/schedules/{w.ScheduleId}")),
        ["PUT /api/scripts/schedules/{id:guid}"] = async () =>
        {
            var replacement = new { scriptId = w.ScriptId, cron = "* * * * * *" };
            await NotFoundAsync(b.PutAsJsonAsync($"/api/scripts/schedules/{w.ScheduleId}", replacement));
            var schedule = await a.GetFromJsonAsync<JsonElement>($"/api/scripts/schedules/{w.ScheduleId}");
            Assert.Equal("0 0 0 1 1 *", schedule.GetProperty("cron").GetString());
        },
        ["DELETE /api/scripts/schedules/{id:guid}"] = async () =>
        {
            await NotFoundAsync(b.DeleteAsync($"/api/scripts/schedules/{w.ScheduleId}"));
            using var still = await a.GetAsync($"/api/scripts/schedules/{w.ScheduleId}");
            Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        },
        ["POST /api/scripts/schedules/{id:guid}/disable"] = async () =>
        {
            await NotFoundAsync(b.PostAsync($"/api/scripts/schedules/{w.ScheduleId}/disable", null));
            var schedule = await a.GetFromJsonAsync<JsonElement>($"/api/scripts/schedules/{w.ScheduleId}");
            Assert.True(schedule.GetProperty("enabled").GetBoolean());
        },
        ["POST /api/scripts/schedules/{id:guid}/enable"] = () =>
            NotFoundAsync(b.PostAsync($"/api/scripts/schedules/{w.ScheduleId}/enable", null)),
        ["POST /api/keys/"] = () => ForbiddenAsync(b.PostAsJsonAsync("/api/keys", new { tenant = TenantB, role = "operator" })),
        ["GET /api/keys/"] = () => ForbiddenAsync(b.GetAsync("/api/keys")),
        ["DELETE /api/keys/{id:guid}"] = () => ForbiddenAsync(b.DeleteAsync($"/api/keys/{w.KeyId}")),
    };

    /// <summary>Every "METHOD pattern" under /api/ that the app serves.</summary>
    private HashSet<string> ApiRoutes()
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        return
        [
            .. source.Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                    .Select(method => $"{method} {e.RoutePattern.RawText}")),
        ];
    }

    private static async Task NotFoundAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task ForbiddenAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    internal static MultipartFormDataContent FileContent(string name, byte[] content)
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        return new MultipartFormDataContent { { part, "file", name } };
    }
}
