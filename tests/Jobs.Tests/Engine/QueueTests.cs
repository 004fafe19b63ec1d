using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Engine;

/// <summary>Queue settings: pause and resume, per-silo concurrency, priority among waiting jobs.</summary>
public sealed class QueueTests(JobsApp app) : IClassFixture<JobsApp>
{
    private readonly HttpClient _api = app.Operator();

    private IQueueGrain Noop => app.Grains.GetGrain<IQueueGrain>(JobType.Noop);

    [Fact]
    public async Task Pause_KeepsNewJobsWaitingAndLetsActiveOnesFinish_ResumeRunsThem()
    {
        var active = await _api.CreateJobAsync(new { type = "noop", payload = new { durationMs = 1_000 } });
        await _api.WaitForStatusAsync(active.Id(), "active");

        using var paused = await _api.PostAsync("/api/queues/noop/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.True((await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paused").GetBoolean());
        try
        {
            var waiting = await _api.CreateJobAsync(new { type = "noop", payload = new { } });

            await _api.WaitForStatusAsync(active.Id(), "completed");
            Assert.Equal("wait", (await _api.GetJobAsync(waiting.Id())).Status());
            var queues = await _api.GetFromJsonAsync<JsonElement>("/api/queues");
            var noop = queues.EnumerateArray().Single(q => q.GetProperty("type").GetString() == "noop");
            Assert.True(noop.GetProperty("paused").GetBoolean());
            Assert.Equal(1, noop.GetProperty("counts").GetProperty("wait").GetInt64());

            using var resumed = await _api.PostAsync("/api/queues/noop/resume", null);
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            await _api.WaitForStatusAsync(waiting.Id(), "completed");
        }
        finally
        {
            await Noop.SetPausedAsync(false);
        }
    }

    [Fact]
    public async Task Concurrency_LimitsHowManyAttemptsRunAtOnceOnASilo()
    {
        var original = await Noop.GetSettingsAsync();
        await Noop.UpdateSettingsAsync(original with { Concurrency = 2 });
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                ids.Add((await _api.CreateJobAsync(new { type = "noop", payload = new { durationMs = 300 } })).Id());
            }

            var runs = new List<(DateTimeOffset Start, DateTimeOffset End)>();
            foreach (var id in ids)
            {
                var job = await _api.WaitForStatusAsync(id, "completed");
                runs.Add((job.GetProperty("startedAt").GetDateTimeOffset(), job.GetProperty("finishedAt").GetDateTimeOffset()));
            }

            var mostAtOnce = runs.Max(run => runs.Count(other => other.Start <= run.Start && run.Start < other.End));
            Assert.Equal(2, mostAtOnce);
        }
        finally
        {
            await Noop.UpdateSettingsAsync(original);
        }
    }

    [Fact]
    public async Task Priority_AmongWaitingJobs_StartsTheHighestFirst()
    {
        var original = await Noop.GetSettingsAsync();
        await Noop.UpdateSettingsAsync(original with { Concurrency = 1, Paused = true });
        try
        {
            var low = await _api.CreateJobAsync(new { type = "noop", payload = new { }, priority = -5 });
            var normal = await _api.CreateJobAsync(new { type = "noop", payload = new { } });
            var high = await _api.CreateJobAsync(new { type = "noop", payload = new { }, priority = 10 });

            await Noop.SetPausedAsync(false);

            var started = new List<(string Name, DateTimeOffset At)>();
            foreach (var (name, job) in new[] { ("low", low), ("normal", normal), ("high", high) })
            {
                var done = await _api.WaitForStatusAsync(job.Id(), "completed");
                started.Add((name, done.GetProperty("startedAt").GetDateTimeOffset()));
            }

            Assert.Equal(["high", "normal", "low"], started.OrderBy(s => s.At).Select(s => s.Name));
        }
        finally
        {
            await Noop.UpdateSettingsAsync(original);
        }
    }
}
