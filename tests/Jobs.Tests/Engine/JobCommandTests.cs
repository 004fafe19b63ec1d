using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Engine;

/// <summary>Cancel, promote, manual retry, delete and idempotency keys.</summary>
public sealed class JobCommandTests(JobsApp app) : IClassFixture<JobsApp>
{
    private readonly HttpClient _api = app.Operator();

    [Fact]
    public async Task Cancel_WhenWaitingDelayedOrActive_FailsTheJobAsCancelled()
    {
        var delayed = await _api.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 600_000 });
        var active = await _api.CreateJobAsync(new { type = "noop", payload = new { durationMs = 60_000 } });
        await _api.WaitForStatusAsync(active.Id(), "active");

        foreach (var id in new[] { delayed.Id(), active.Id() })
        {
            using var response = await _api.PostAsync($"/api/jobs/{id}/cancel", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var job = await _api.GetJobAsync(id);
            Assert.Equal("failed", job.Status());
            Assert.Equal("cancelled", job.GetProperty("failedReason").GetString());
        }

        var cancelledAttempt = Assert.Single((await _api.GetJobAsync(active.Id())).GetProperty("history").EnumerateArray());
        Assert.Equal("cancelled", cancelledAttempt.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Cancel_WhenCompleted_IsRefusedWithConflict()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { } });
        await _api.WaitForStatusAsync(created.Id(), "completed");

        using var response = await _api.PostAsync($"/api/jobs/{created.Id()}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("completed job cannot be cancelled", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Promote_WhenDelayed_RunsTheJobNow()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 600_000 });

        using var response = await _api.PostAsync($"/api/jobs/{created.Id()}/promote", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = await _api.WaitForStatusAsync(created.Id(), "completed");
        Assert.True(job.GetProperty("dueAt").GetDateTimeOffset() < job.GetProperty("createdAt").GetDateTimeOffset().AddMinutes(1));
    }

    [Fact]
    public async Task Promote_WhenNotDelayed_IsRefusedWithConflict()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { } });
        await _api.WaitForStatusAsync(created.Id(), "completed");

        using var response = await _api.PostAsync($"/api/jobs/{created.Id()}/promote", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Retry_WhenFailed_WaitsAgainWithFreshAttemptsAndKeepsHistory()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { failTimes = 2 }, attempts = 2, backoff = new { kind = "fixed", delayMs = 0 } });
        await _api.WaitForStatusAsync(created.Id(), "failed");

        using var response = await _api.PostAsync($"/api/jobs/{created.Id()}/retry", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = await _api.WaitForStatusAsync(created.Id(), "completed");
        Assert.Equal(1, job.GetProperty("attemptsMade").GetInt32());
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Equal(
            ["failed", "failed", "completed"],
            job.GetProperty("history").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
        Assert.False(job.TryGetProperty("failedReason", out _));
    }

    [Fact]
    public async Task Retry_WhenNotFailed_IsRefusedWithConflict()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 600_000 });

        using var response = await _api.PostAsync($"/api/jobs/{created.Id()}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Delete_WhenFinished_RemovesTheJobFromStorageAndListings()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { } });
        await _api.WaitForStatusAsync(created.Id(), "completed");

        using var deleted = await _api.DeleteAsync($"/api/jobs/{created.Id()}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var get = await _api.GetAsync($"/api/jobs/{created.Id()}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        var page = JsonDocument.Parse(await _api.GetStringAsync("/api/jobs?type=noop&limit=500")).RootElement;
        Assert.DoesNotContain(page.GetProperty("items").EnumerateArray(), item => item.Id() == created.Id());
    }

    [Fact]
    public async Task Delete_WhenFinished_LeavesNoStorageRow_AndItsIdempotencyKeyCreatesTheJobAgain()
    {
        var request = new { type = "noop", payload = new { }, idempotencyKey = "delete-then-again-" + Guid.NewGuid() };
        var created = await _api.CreateJobAsync(request);
        await _api.WaitForStatusAsync(created.Id(), "completed");

        using var deleted = await _api.DeleteAsync($"/api/jobs/{created.Id()}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM orleans_storage WHERE payloadbinary IS NULL"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM jobs.job_index WHERE id = '{created.Id()}'"));
        using var again = await _api.PostAsJsonAsync("/api/jobs", request);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(created.Id(), (await again.Content.ReadFromJsonAsync<JsonElement>()).Id());
        await _api.WaitForStatusAsync(created.Id(), "completed");
    }

    [Fact]
    public async Task Delete_WhenActive_IsRefusedWithConflict()
    {
        var created = await _api.CreateJobAsync(new { type = "noop", payload = new { durationMs = 60_000 } });
        await _api.WaitForStatusAsync(created.Id(), "active");

        using var response = await _api.DeleteAsync($"/api/jobs/{created.Id()}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        await _api.PostAsync($"/api/jobs/{created.Id()}/cancel", null);
    }

    [Fact]
    public async Task Create_WithTheSameIdempotencyKey_ReturnsTheSameJobForTheSameTenantOnly()
    {
        var request = new { type = "noop", payload = new { }, idempotencyKey = "invoice-2026-11-0042", tenant = "acme" };

        using var first = await _api.PostAsJsonAsync("/api/jobs", request);
        using var second = await _api.PostAsJsonAsync("/api/jobs", request);
        using var otherTenant = await _api.PostAsJsonAsync("/api/jobs", request with { tenant = "globex" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherTenant.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).Id();
        Assert.Equal(firstId, (await second.Content.ReadFromJsonAsync<JsonElement>()).Id());
        Assert.NotEqual(firstId, (await otherTenant.Content.ReadFromJsonAsync<JsonElement>()).Id());
    }
}
