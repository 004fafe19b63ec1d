using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Retention;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Api;

/// <summary>Retention deletes finished jobs by age and count, keeps unfinished ones, and keeps counts exact.</summary>
public sealed class RetentionTests(JobsApp app) : IClassFixture<JobsApp>
{
    private readonly HttpClient _operator = app.Operator();

    private JobRetention Retention => app.Services.GetRequiredService<JobRetention>();

    [Fact]
    public async Task Retention_ByCount_KeepsTheNewestFinished_AndEveryUnfinishedJob()
    {
        var completed = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var job = await _operator.CreateJobAsync(new { type = "noop", payload = new { } });
            await _operator.WaitForStatusAsync(job.Id(), "completed");
            completed.Add(job.Id());
        }

        var failed = await _operator.CreateJobAsync(new { type = "noop", payload = new { failTimes = 9 }, attempts = 1 });
        await _operator.WaitForStatusAsync(failed.Id(), "failed");
        var delayed = await _operator.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 3_600_000 });
        var settings = await app.Grains.GetGrain<IQueueGrain>("noop").GetSettingsAsync();

        var removed = await Retention.RunAsync("noop", settings with { CompletedKeep = 2, FailedKeep = 0 });

        Assert.Equal(5, removed);
        foreach (var gone in completed.Take(4).Append(failed.Id()))
        {
            using var response = await _operator.GetAsync($"/api/jobs/{gone}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        foreach (var kept in completed.Skip(4))
        {
            Assert.Equal("completed", (await _operator.GetJobAsync(kept)).Status());
        }

        Assert.Equal("delayed", (await _operator.GetJobAsync(delayed.Id())).Status());
        var counts = await CountsAsync();
        Assert.Equal(2, counts.GetProperty("completed").GetInt64());
        Assert.Equal(0, counts.GetProperty("failed").GetInt64());
        Assert.Equal(1, counts.GetProperty("delayed").GetInt64());
        Assert.Equal(3, await app.CountAsync("SELECT count(*) FROM jobs.job_index WHERE type = 'noop'"));
    }

    [Fact]
    public async Task Retention_ByAge_RemovesOlderFinishedJobs_AndADeletedJobStaysDeleted()
    {
        var noop = await _operator.CreateJobAsync(new { type = "noop", payload = new { } });
        await _operator.WaitForStatusAsync(noop.Id(), "completed");
        var settings = await app.Grains.GetGrain<IQueueGrain>("noop").GetSettingsAsync();

        await Retention.RunAsync("noop", settings with { CompletedRetention = TimeSpan.Zero });

        // The job's activation was alive a moment ago; it must neither answer with its old state nor write it back.
        using var gone = await _operator.GetAsync($"/api/jobs/{noop.Id()}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var retry = await _operator.PostAsync($"/api/jobs/{noop.Id()}/retry", null);
        Assert.Equal(HttpStatusCode.NotFound, retry.StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM jobs.job_index WHERE id = '{noop.Id()}'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM orleans_storage WHERE graintypestring = 'job' AND payloadbinary IS NOT NULL AND convert_from(payloadbinary, 'UTF8')::jsonb->>'id' = '{noop.Id()}'"));
        Assert.Equal(0, (await CountsAsync()).GetProperty("completed").GetInt64());
    }

    /// <remarks>
    /// Retention has no trigger of its own: the queue's sweep reminder starts it. The reminder's first tick is a
    /// minute away, so the test checks the reminder is stored and delivers its tick to the queue grain itself, the
    /// way the reminder service does; the settings the pass uses are the ones stored through the API.
    /// </remarks>
    [Fact]
    public async Task SweepReminder_WhenItTicks_RunsRetentionWithTheStoredSettings()
    {
        var noop = await _operator.CreateJobAsync(new { type = "noop", payload = new { } });
        await _operator.WaitForStatusAsync(noop.Id(), "completed");
        var queue = app.Grains.GetGrain<IQueueGrain>("noop");
        var keep = (await queue.GetSettingsAsync()).CompletedKeep;
        using var keepNone = await _operator.PutAsJsonAsync(
            "/api/queues/noop/settings", new { completed = new { maxCount = 0 } });
        Assert.Equal(HttpStatusCode.OK, keepNone.StatusCode);
        try
        {
            Assert.Equal(1, await app.CountAsync(
                "SELECT count(*) FROM orleans_reminders WHERE grainid = 'queue/noop' AND remindername = 'sweep'"));

            await queue.AsReference<IRemindable>().ReceiveReminder(
                "sweep", new TickStatus(DateTime.UtcNow, TimeSpan.FromMinutes(1), DateTime.UtcNow));

            await Eventually.Until(
                async () =>
                {
                    using var job = await _operator.GetAsync($"/api/jobs/{noop.Id()}");
                    return job.StatusCode == HttpStatusCode.NotFound;
                },
                TimeSpan.FromSeconds(30), "retention started by the reminder deletes the completed job");
            Assert.Equal(0, await app.CountAsync(
                "SELECT count(*) FROM jobs.job_index WHERE type = 'noop' AND status = 'completed'"));
        }
        finally
        {
            using var restore = await _operator.PutAsJsonAsync(
                "/api/queues/noop/settings", new { completed = new { maxCount = keep } });
        }
    }

    private async Task<JsonElement> CountsAsync()
    {
        var queues = await _operator.GetFromJsonAsync<JsonElement>("/api/queues");
        return queues.EnumerateArray().Single(q => q.GetProperty("type").GetString() == "noop").GetProperty("counts");
    }
}
