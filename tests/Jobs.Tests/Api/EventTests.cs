using System.Net;
using System.Net.Http.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

/// <summary>
/// Server-sent events across two API processes with embedded silos on one database: produced wherever the job
/// runs, received wherever the client listens, resumable with Last-Event-ID.
/// </summary>
public sealed class EventTests(JobsApp app) : IClassFixture<JobsApp>, IAsyncLifetime
{
    private JobsApp? _second;

    private JobsApp Second => _second!;

    public async Task InitializeAsync()
    {
        _second = new JobsApp().OnDatabase(app.ConnectionString);
        await _second.InitializeAsync();
    }

    public async Task DisposeAsync() => await Second.DisposeAsync();

    [Fact]
    public async Task Events_FromOneProcess_ReachAStreamOnTheOther_InOrder()
    {
        await using var stream = await SseReader.OpenAsync(Second.Operator(), "/api/events?type=noop");

        var job = await app.Operator().CreateJobAsync(new { type = "noop", payload = new { durationMs = 100 } });

        var events = await stream.UntilAsync(e => e.JobId == job.Id() && e.Type == "status" && Status(e) == "completed");
        var statuses = events.Where(e => e.JobId == job.Id() && e.Type == "status").Select(Status).ToList();
        // A job that finds a free slot when it is created is stored straight as active; otherwise it waits first.
        Assert.Contains(statuses[0], new[] { "wait", "active" });
        Assert.Equal("active", statuses[^2]);
        Assert.Equal("completed", statuses[^1]);
        Assert.Equal(events.Select(e => e.Seq).Order(), events.Select(e => e.Seq));
    }

    [Fact]
    public async Task Reconnect_WithLastEventId_ReplaysWhatWasMissed_AndNothingTwice()
    {
        var client = Second.Operator();
        var job = await app.Operator().CreateJobAsync(new { type = "noop", payload = new { durationMs = 50 } });
        await app.Operator().WaitForStatusAsync(job.Id(), "completed");
        await using var all = await SseReader.OpenAsync(client, $"/api/jobs/{job.Id()}/events", lastEventId: 0);
        var history = await all.UntilAsync(e => e.Type == "status" && Status(e) == "completed");

        await using var resumed = await SseReader.OpenAsync(client, $"/api/jobs/{job.Id()}/events", lastEventId: history[0].Seq);
        var replay = await resumed.UntilAsync(e => e.Type == "status" && Status(e) == "completed");

        Assert.Equal(history.Skip(1).Select(e => e.Seq), replay.Select(e => e.Seq));
        var retried = await app.Operator().PostAsync($"/api/jobs/{job.Id()}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, retried.StatusCode);
    }

    [Fact]
    public async Task Stream_OfATenant_CarriesOnlyItsOwnJobs()
    {
        var a = await app.ClientForNewKeyAsync("ev-a");
        var b = await app.ClientForNewKeyAsync("ev-b");
        await using var stream = await SseReader.OpenAsync(Second.ClientWithKey(await KeyAsync("ev-b")), "/api/events");

        var theirs = await a.CreateJobAsync(new { type = "noop", payload = new { } });
        await a.WaitForStatusAsync(theirs.Id(), "completed");
        var mine = await b.CreateJobAsync(new { type = "noop", payload = new { } });

        var seen = await stream.UntilAsync(e => e.JobId == mine.Id() && e.Type == "status" && Status(e) == "completed");
        Assert.All(seen, e => Assert.Equal("ev-b", e.Data.GetProperty("tenant").GetString()));
    }

    [Fact]
    public async Task Stream_CarriesLogLinesAndProgress_OfARunningJob()
    {
        var op = app.Operator();
        for (var i = 0; i < 3; i++)
        {
            await op.CreateJobAsync(new { type = "noop", payload = new { failTimes = 5 }, attempts = 1, tenant = "ev-logs" });
        }

        await Eventually.Until(async () => await app.CountAsync(
                "SELECT count(*) FROM jobs.job_index WHERE tenant = 'ev-logs' AND status = 'failed'") == 3,
            TimeSpan.FromSeconds(30), "three failed jobs");
        using var created = await op.PostAsJsonAsync("/api/bulk", new { action = "retry", filter = new { tenant = "ev-logs", type = "noop" } });
        var bulk = await created.ReadJsonAsync();
        await using var stream = await SseReader.OpenAsync(Second.Operator(), $"/api/jobs/{bulk.Id()}/events", lastEventId: 0);

        var events = await stream.UntilAsync(e => e.Type == "status" && Status(e) == "completed");

        Assert.Contains(events, e => e.Type == "log"
            && e.Body.GetProperty("lines").EnumerateArray().Any(l => l.GetProperty("message").GetString()!.Contains("3 jobs match")));
        Assert.Contains(events, e => e.Type == "progress" || (e.Type == "status" && e.Body.GetProperty("progress").GetInt32() > 0));
    }

    [Fact]
    public async Task LastEventId_ThatIsNotANumber_Is400()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Add("Last-Event-ID", "yesterday");

        using var response = await app.Operator().SendAsync(request);

        await response.AssertFieldErrorAsync("Last-Event-ID");
    }

    private async Task<string> KeyAsync(string tenant) => (await app.CreateKeyAsync(tenant)).GetProperty("key").GetString()!;

    private static string Status(SseEvent e) => e.Body.GetProperty("status").GetString()!;
}
