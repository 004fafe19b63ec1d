using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

/// <summary>Bulk retry, cancel and delete as jobs of their own, over many jobs, with progress and logs.</summary>
public sealed class BulkTests(JobsApp app) : IClassFixture<JobsApp>
{
    private const int Many = 2_000;

    private readonly HttpClient _operator = app.Operator();

    [Fact]
    public async Task BulkRetry_OfTwoThousandFailedJobs_RetriesEveryOne()
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, Many), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
            await _operator.CreateJobAsync(new { type = "noop", payload = new { failTimes = 1 }, attempts = 1, tenant = "bulk-many" }));
        await Eventually.Until(async () => await CountAsync("bulk-many", "failed") == Many,
            TimeSpan.FromSeconds(120), $"all {Many} jobs failed");

        var bulk = await StartAsync(new { action = "retry", filter = new { type = "noop", status = "failed", tenant = "bulk-many" } });
        var done = await _operator.WaitForStatusAsync(bulk.Id(), "completed", TimeSpan.FromSeconds(180));

        var result = done.GetProperty("result");
        Assert.Equal(Many, result.GetProperty("matched").GetInt64());
        Assert.Equal(Many, result.GetProperty("acted").GetInt64());
        await Eventually.Until(async () => await CountAsync("bulk-many", "completed") == Many,
            TimeSpan.FromSeconds(180), $"all {Many} retried jobs completed");
        var logs = await _operator.GetFromJsonAsync<JsonElement>($"/api/jobs/{bulk.Id()}/logs");
        Assert.Contains(logs.GetProperty("items").EnumerateArray(), l => l.GetProperty("message").GetString() == $"{Many} jobs match; acting on them in pages of 500");
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM jobs.bulk_checkpoint WHERE job_id = '{bulk.Id()}'"));
    }

    [Fact]
    public async Task BulkCancelThenDelete_ActOnlyOnMatchingJobs()
    {
        var delayed = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            delayed.Add((await _operator.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 3_600_000, tenant = "bulk-cd" })).Id());
        }

        var other = await _operator.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 3_600_000, tenant = "bulk-other" });

        var cancel = await StartAsync(new { action = "cancel", filter = new { tenant = "bulk-cd", status = "delayed" } });
        await _operator.WaitForStatusAsync(cancel.Id(), "completed");
        Assert.Equal(20, await CountAsync("bulk-cd", "failed"));
        Assert.Equal("delayed", (await _operator.GetJobAsync(other.Id())).Status());

        var delete = await StartAsync(new { action = "delete", filter = new { tenant = "bulk-cd", type = "noop" } });
        var deleted = await _operator.WaitForStatusAsync(delete.Id(), "completed");

        Assert.Equal(20, deleted.GetProperty("result").GetProperty("acted").GetInt64());
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM jobs.job_index WHERE tenant = 'bulk-cd' AND type = 'noop'"));
        using var gone = await _operator.GetAsync($"/api/jobs/{delayed[0]}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("delayed", (await _operator.GetJobAsync(other.Id())).Status());
    }

    [Fact]
    public async Task BulkJob_OfATenant_ActsOnItsOwnJobsOnly()
    {
        var tenant = await app.ClientForNewKeyAsync("bulk-t1");
        var mine = await tenant.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 3_600_000 });
        var theirs = await _operator.CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 3_600_000, tenant = "bulk-t2" });

        using var created = await tenant.PostAsJsonAsync("/api/bulk", new { action = "cancel", filter = new { type = "noop" } });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var bulk = await created.ReadJsonAsync();
        Assert.Equal("bulk-t1", bulk.GetProperty("tenant").GetString());
        await tenant.WaitForStatusAsync(bulk.Id(), "completed");

        Assert.Equal("failed", (await tenant.GetJobAsync(mine.Id())).Status());
        Assert.Equal("delayed", (await _operator.GetJobAsync(theirs.Id())).Status());
    }

    [Theory]
    [InlineData("""{"filter":{}}""", "action")]
    [InlineData("""{"action":"archive"}""", "action")]
    [InlineData("""{"action":"retry","filter":{"type":"bulk"}}""", "filter.type")]
    [InlineData("""{"action":"retry","filter":{"status":"done"}}""", "filter.status")]
    [InlineData("""{"action":"retry","filter":{"colour":"red"}}""", "filter.colour")]
    [InlineData("""{"action":"retry","filter":{"from":"2026-02-01T00:00:00Z","to":"2026-01-01T00:00:00Z"}}""", "filter.to")]
    [InlineData("""{"action":"retry","filter":{"from":"soon"}}""", "filter.from")]
    [InlineData("""{"action":1}""", "action")]
    [InlineData("""{"action":"delete"}""", "filter")]
    [InlineData("""{"action":"retry","filter":{}}""", "filter")]
    public async Task Bulk_WithABadField_Is400NamingIt(string body, string field)
    {
        using var response = await _operator.PostAsync("/api/bulk", ApiCalls.Json(body));

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task CreateJob_OfTypeBulk_IsRefusedOutsideTheBulkEndpoint()
    {
        using var response = await _operator.PostAsJsonAsync("/api/jobs", new { type = "bulk", payload = new { action = "delete" } });

        await response.AssertFieldErrorAsync("type");
    }

    private async Task<JsonElement> StartAsync(object body)
    {
        using var response = await _operator.PostAsJsonAsync("/api/bulk", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.ReadJsonAsync();
        Assert.Equal("bulk", job.GetProperty("type").GetString());
        return job;
    }

    private Task<long> CountAsync(string tenant, string status) => app.CountAsync(
        $"SELECT count(*) FROM jobs.job_index WHERE type = 'noop' AND tenant = '{tenant}' AND status = '{status}'");
}
