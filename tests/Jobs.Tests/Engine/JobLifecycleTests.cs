using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Engine;

/// <summary>A job's way through its statuses, its retries and timeouts, driven through the HTTP API.</summary>
public sealed class JobLifecycleTests(JobsApp app) : IClassFixture<JobsApp>
{
    private readonly HttpClient _api = app.Operator();

    [Fact]
    public async Task Create_WhenDueNow_RunsToCompletedWithOrderedTimestamps()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { durationMs = 50 } });

        var job = await _api.WaitForStatusAsync(created.Id(), "completed");

        Assert.Equal(1, job.GetProperty("attemptsMade").GetInt32());
        var createdAt = job.GetProperty("createdAt").GetDateTimeOffset();
        var dueAt = job.GetProperty("dueAt").GetDateTimeOffset();
        var startedAt = job.GetProperty("startedAt").GetDateTimeOffset();
        var finishedAt = job.GetProperty("finishedAt").GetDateTimeOffset();
        Assert.True(createdAt <= dueAt && dueAt <= startedAt && startedAt < finishedAt, job.ToString());
        Assert.True(finishedAt - startedAt >= TimeSpan.FromMilliseconds(50), "the run time covers the 50 ms sleep");
        Assert.Equal((startedAt - dueAt).TotalMilliseconds, job.GetProperty("startLatencyMs").GetDouble(), 3);
        Assert.Equal((finishedAt - startedAt).TotalMilliseconds, job.GetProperty("runTimeMs").GetDouble(), 3);
        Assert.Equal(1, job.GetProperty("result").GetProperty("attempt").GetInt32());
        var attempt = Assert.Single(job.GetProperty("history").EnumerateArray());
        Assert.Equal("completed", attempt.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Create_WhenASlotIsFree_IsStoredStraightAsActive()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { durationMs = 1_000 } });

        Assert.Equal("active", created.Status());
        Assert.Equal(1, created.GetProperty("attemptsMade").GetInt32());
        Assert.True(created.GetProperty("startedAt").GetDateTimeOffset() >= created.GetProperty("dueAt").GetDateTimeOffset());
        var listed = await _api.GetFromJsonAsync<JsonElement>("/api/jobs?type=noop&status=active&limit=200");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetString() == created.Id());
        await _api.WaitForStatusAsync(created.Id(), "completed");
    }

    [Fact]
    public async Task Create_WithDelay_IsDelayedUntilDueThenRuns()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 1500 });

        Assert.Equal("delayed", created.Status());
        var job = await _api.WaitForStatusAsync(created.Id(), "completed");

        var dueAt = job.GetProperty("dueAt").GetDateTimeOffset();
        var createdAt = job.GetProperty("createdAt").GetDateTimeOffset();
        // The delay counts from the request's arrival, a moment before the job's creation time is taken.
        Assert.InRange((dueAt - createdAt).TotalMilliseconds, 1_400, 1_500);
        Assert.True(job.GetProperty("startedAt").GetDateTimeOffset() >= dueAt, "never starts before it is due");
    }

    [Fact]
    public async Task Retry_WithFixedBackoff_WaitsTheDelayBeforeEachAttempt()
    {
        var created = await _api.CreateJobAsync(new
        {
            type = "noop",
            payload = new { failTimes = 2, failMessage = "carrier busy" },
            attempts = 3,
            backoff = new { kind = "fixed", delayMs = 300 },
        });

        var job = await _api.WaitForStatusAsync(created.Id(), "completed");

        var history = job.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["failed", "failed", "completed"], history.Select(a => a.GetProperty("outcome").GetString()));
        Assert.Equal("carrier busy", history[0].GetProperty("error").GetString());
        foreach (var gap in Gaps(history))
        {
            Assert.True(gap >= TimeSpan.FromMilliseconds(299), $"a retry started {gap.TotalMilliseconds} ms after the failure");
        }
    }

    [Fact]
    public async Task Retry_WithExponentialBackoff_GrowsTheDelayUpToTheCap()
    {
        var created = await _api.CreateJobAsync(new
        {
            type = "noop",
            payload = new { failTimes = 3 },
            attempts = 4,
            backoff = new { kind = "exponential", delayMs = 200, maxDelayMs = 500 },
        });

        var job = await _api.WaitForStatusAsync(created.Id(), "completed");

        // Delays are 200·2^(n-1) spread by ±20%, then capped: at least 160, 320 and (capped) 500 ms.
        var gaps = Gaps(job.GetProperty("history").EnumerateArray().ToList());
        Assert.Equal(3, gaps.Count);
        Assert.True(gaps[0] >= TimeSpan.FromMilliseconds(159), $"first retry after {gaps[0].TotalMilliseconds} ms");
        Assert.True(gaps[1] >= TimeSpan.FromMilliseconds(319), $"second retry after {gaps[1].TotalMilliseconds} ms");
        Assert.True(gaps[2] >= TimeSpan.FromMilliseconds(499), $"third retry after {gaps[2].TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Attempts_WhenEveryAttemptFails_RunsExactlyThatManyTimesThenFails()
    {
        var created = await _api.CreateJobAsync(new
        {
            type = "noop",
            payload = new { failTimes = 100, failMessage = "no route" },
            attempts = 3,
            backoff = new { kind = "fixed", delayMs = 0 },
        });

        var job = await _api.WaitForStatusAsync(created.Id(), "failed");

        Assert.Equal(3, job.GetProperty("attemptsMade").GetInt32());
        Assert.Equal("no route", job.GetProperty("failedReason").GetString());
        var history = job.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(3, history.Count);
        Assert.Equal([1, 2, 3], history.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.All(history, a => Assert.Equal("failed", a.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Timeout_WhenAnAttemptRunsTooLong_CancelsItAndFailsTheAttempt()
    {
        var created = await _api.CreateJobAsync(new
        {
            type = "noop", payload = new { durationMs = 30_000 }, attempts = 1, timeoutMs = 200,
        });

        var job = await _api.WaitForStatusAsync(created.Id(), "failed");

        Assert.Equal("timed out after 200 ms", job.GetProperty("failedReason").GetString());
        var attempt = Assert.Single(job.GetProperty("history").EnumerateArray());
        Assert.Equal("timed-out", attempt.GetProperty("outcome").GetString());
        Assert.True(job.GetProperty("runTimeMs").GetDouble() < 30_000, "the sleep was cut short");
    }

    [Fact]
    public async Task Timeout_WhenTheHandlerIgnoresCancellation_AbandonsItAndIgnoresItsLateResult()
    {
        var created = await _api.CreateJobAsync(new
        {
            type = "noop", payload = new { durationMs = 2_000, ignoreCancellation = true }, attempts = 1, timeoutMs = 200,
        });

        var failed = await _api.WaitForStatusAsync(created.Id(), "failed");
        Assert.Contains("abandoned", failed.GetProperty("failedReason").GetString());

        // The handler itself returns a success 2 s after it started; past that point the job must not have changed.
        var handlerEnd = failed.GetProperty("startedAt").GetDateTimeOffset().AddMilliseconds(2_000 + 500);
        var wait = handlerEnd - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var later = await _api.GetJobAsync(created.Id());
        Assert.Equal("failed", later.Status());
        Assert.Single(later.GetProperty("history").EnumerateArray());
        Assert.False(later.TryGetProperty("result", out _));
    }

    private static List<TimeSpan> Gaps(List<JsonElement> history) =>
    [
        .. history.Zip(history.Skip(1), (previous, next) =>
            next.GetProperty("startedAt").GetDateTimeOffset() - previous.GetProperty("finishedAt").GetDateTimeOffset()),
    ];
}
