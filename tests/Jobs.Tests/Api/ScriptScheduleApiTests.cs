using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Tests.Infrastructure;
using static Jobs.Tests.Api.ScriptApiTests;

namespace Jobs.Tests.Api;

/// <summary>Script schedules over HTTP: set, listed, paused, replaced, deleted and run, on real PostgreSQL.</summary>
public sealed class ScriptScheduleApiTests(JobsApp app) : IClassFixture<JobsApp>
{
    [Fact]
    public async Task CreateSchedule_InAZone_ReturnsItsNextOccurrencesInUtc()
    {
        var client = await app.ClientForNewKeyAsync("schedules-zone");
        var script = (await CreateAsync(client, "nightly", "function main(a) { return a }")).Id();

        using var response = await client.PostAsJsonAsync("/api/scripts/schedules", new
        {
            scriptId = script, version = 1, function = "main", arguments = new[] { "x" },
            cron = "0 30 2 * * *", timeZone = "Europe/Paris",
        });

        var schedule = await ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/api/scripts/schedules/{schedule.Id()}", response.Headers.Location?.OriginalString);
        Assert.True(schedule.GetProperty("enabled").GetBoolean());
        Assert.Equal(("schedules-zone", script), (Text(schedule, "tenant"), Text(schedule, "scriptId")));
        Assert.Equal(1, schedule.GetProperty("version").GetInt32());
        Assert.Equal("""["x"]""", schedule.GetProperty("arguments").GetRawText());
        var next = schedule.GetProperty("nextOccurrences").EnumerateArray().Select(o => o.GetDateTimeOffset()).ToList();
        Assert.Equal(5, next.Count);
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        Assert.All(next, o => Assert.Equal(new TimeSpan(2, 30, 0), TimeZoneInfo.ConvertTime(o, paris).TimeOfDay));
        Assert.Equal(next.Order(), next);
        Assert.True(next[0] > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Schedule_ListedPausedReplacedAndDeleted()
    {
        var client = await app.ClientForNewKeyAsync("schedules-life");
        var script = (await CreateAsync(client, "life", "1")).Id();
        var id = (await CreateScheduleAsync(client, new { scriptId = script, cron = "0 0 6 * * MON", timeZone = "UTC" })).Id();

        var listed = await client.GetFromJsonAsync<JsonElement>("/api/scripts/schedules");
        using var disable = await client.PostAsync($"/api/scripts/schedules/{id}/disable", null);
        var disabled = await ReadAsync(disable, HttpStatusCode.OK);
        using var replace = await client.PutAsJsonAsync(
            $"/api/scripts/schedules/{id}", new { scriptId = script, cron = "*/10 * * * *", timeZone = "America/New_York" });
        var replaced = await ReadAsync(replace, HttpStatusCode.OK);
        using var enable = await client.PostAsync($"/api/scripts/schedules/{id}/enable", null);
        var enabled = await ReadAsync(enable, HttpStatusCode.OK);
        using var delete = await client.DeleteAsync($"/api/scripts/schedules/{id}");
        using var gone = await client.GetAsync($"/api/scripts/schedules/{id}");
        var after = await client.GetFromJsonAsync<JsonElement>("/api/scripts/schedules");

        Assert.Equal([id], listed.GetProperty("items").EnumerateArray().Select(s => s.Id()));
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Empty(disabled.GetProperty("nextOccurrences").EnumerateArray());
        Assert.Equal(("*/10 * * * *", "America/New_York"), (Text(replaced, "cron"), Text(replaced, "timeZone")));
        Assert.False(replaced.GetProperty("enabled").GetBoolean());
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        var next = enabled.GetProperty("nextOccurrences").EnumerateArray().Select(o => o.GetDateTimeOffset()).ToList();
        Assert.Equal(TimeSpan.FromMinutes(10), next[1] - next[0]);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(after.GetProperty("items").EnumerateArray());
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM jobs.script_schedule WHERE id = '{id}'"));
    }

    [Fact]
    public async Task ListSchedules_PagesInCreationOrder_AndOperatorsSeeEveryTenant()
    {
        var client = await app.ClientForNewKeyAsync("schedules-pages");
        var script = (await CreateAsync(client, "paged", "1")).Id();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var schedule = await CreateScheduleAsync(client, new { scriptId = script, cron = $"0 {i} 0 * * *", enabled = false });
            ids.Add(schedule.Id());
        }

        var first = await client.GetFromJsonAsync<JsonElement>("/api/scripts/schedules?limit=2");
        var cursor = Text(first, "nextCursor");
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/scripts/schedules?limit=2&cursor={cursor}");
        var asOperator = await app.Operator().GetFromJsonAsync<JsonElement>("/api/scripts/schedules?tenant=schedules-pages");
        var operatorRead = await app.Operator().GetFromJsonAsync<JsonElement>($"/api/scripts/schedules/{ids[1]}");

        Assert.Equal(ids, Ids(first).Concat(Ids(second)));
        Assert.False(second.TryGetProperty("nextCursor", out _));
        Assert.Equal(ids, asOperator.GetProperty("items").EnumerateArray().Select(s => s.Id()));
        Assert.Equal(("schedules-pages", "0 1 0 * * *"), (Text(operatorRead, "tenant"), Text(operatorRead, "cron")));
        Assert.False(operatorRead.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task CreateSchedule_WithBadFields_NamesEachOne()
    {
        var client = await app.ClientForNewKeyAsync("schedules-bad");
        var script = (await CreateAsync(client, "bad", "1")).Id();

        const string Route = "/api/scripts/schedules";
        using var cron = await client.PostAsJsonAsync(Route, new { scriptId = script, cron = "0 0 25 * * *" });
        using var zone = await client.PostAsJsonAsync(Route, new { scriptId = script, cron = "0 * * * * *", timeZone = "Mars/Olympus" });
        using var version = await client.PostAsJsonAsync(Route, new { scriptId = script, version = 2, cron = "0 * * * * *" });
        using var missing = await client.PostAsync(Route, ApiCalls.Json("{}"));
        using var unknown = await client.PostAsJsonAsync(Route, new { scriptId = Guid.NewGuid(), cron = "0 * * * * *" });

        var cronProblem = await cron.AssertProblemAsync(HttpStatusCode.BadRequest);
        var cronError = cronProblem.GetProperty("errors").GetProperty("cron")[0].GetString();
        Assert.Contains("field 3 (hour) '25'", cronError, StringComparison.Ordinal);
        await zone.AssertFieldErrorAsync("timeZone");
        await version.AssertFieldErrorAsync("version");
        var errors = (await missing.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("scriptId", out _) && errors.TryGetProperty("cron", out _), errors.ToString());
        await unknown.AssertFieldErrorAsync("scriptId");
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM jobs.script_schedule WHERE tenant = 'schedules-bad'"));
    }

    [Fact]
    public async Task CreateSchedule_WithAnotherTenantsScript_IsRefusedOnScriptId()
    {
        var owner = await app.ClientForNewKeyAsync("schedules-owner");
        var other = await app.ClientForNewKeyAsync("schedules-other");
        var script = (await CreateAsync(owner, "mine", "1")).Id();

        using var theirs = await other.PostAsJsonAsync("/api/scripts/schedules", new { scriptId = script, cron = "* * * * * *" });
        using var forOther = await app.Operator().PostAsJsonAsync(
            "/api/scripts/schedules", new { scriptId = script, cron = "* * * * * *", tenant = "schedules-other" });

        await theirs.AssertFieldErrorAsync("scriptId");
        await forOther.AssertFieldErrorAsync("scriptId");
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM jobs.script_schedule WHERE tenant = 'schedules-other'"));
    }

    [Fact]
    public async Task Schedule_EverySecond_CreatesAJobThatRunsTheScript()
    {
        var client = await app.ClientForNewKeyAsync("schedules-run");
        var script = (await CreateAsync(client, "beat", "function main(n) { return n * 2 }")).Id();
        var schedule = await CreateScheduleAsync(client, new { scriptId = script, function = "main", arguments = 21, cron = "* * * * * *" });
        var id = schedule.Id();

        JsonElement fired = default;
        await Eventually.Until(async () =>
        {
            fired = await client.GetFromJsonAsync<JsonElement>($"/api/scripts/schedules/{id}");
            return fired.TryGetProperty("lastJobId", out _);
        }, TimeSpan.FromSeconds(30), "the schedule creates a job");
        using var disable = await client.PostAsync($"/api/scripts/schedules/{id}/disable", null);
        var job = await client.WaitForStatusAsync(Text(fired, "lastJobId")!, "completed");

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(("scriptforge", "schedules-run"), (Text(job, "type"), Text(job, "tenant")));
        Assert.Equal(42, job.GetProperty("result").GetInt32());
        Assert.Equal(id, job.GetProperty("payload").GetProperty("scheduleId").GetString());
    }

    private static async Task<JsonElement> CreateScheduleAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/api/scripts/schedules", request);
        return await ReadAsync(response, HttpStatusCode.Created);
    }

    private static string? Text(JsonElement element, string property) => element.GetProperty(property).GetString();

    private static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(s => s.Id());
}
