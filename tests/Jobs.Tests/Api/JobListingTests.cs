using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

/// <summary>Listings: newest first, keyset pages, filters by status, tenant and time.</summary>
public sealed class JobListingTests(JobListingTests.Jobs jobs) : IClassFixture<JobListingTests.Jobs>
{
    private HttpClient Api => jobs.App.Operator();

    [Fact]
    public async Task List_PagesNewestFirstWithoutGapsOrDuplicates()
    {
        var seen = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Api.GetFromJsonAsync<JsonElement>(
                $"/api/jobs?type=noop&limit=4{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            seen.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(jobs.All.Count, seen.Count);
        Assert.Equal((jobs.All.Count + 3) / 4, pages);
        Assert.Equal(jobs.All.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Select(j => j.Id),
            seen.Select(item => item.Id()));
    }

    [Fact]
    public async Task List_ByStatusAndTenant_ReturnsExactlyTheMatchingJobs()
    {
        foreach (var (status, tenant) in new[] { ("completed", "acme"), ("failed", "acme"), ("delayed", "globex"), ("completed", "globex") })
        {
            var page = await Api.GetFromJsonAsync<JsonElement>($"/api/jobs?type=noop&status={status}&tenant={tenant}&limit=100");

            var expected = jobs.All.Where(j => j.Status == status && j.Tenant == tenant).Select(j => j.Id).Order();
            Assert.Equal(expected, page.GetProperty("items").EnumerateArray().Select(item => item.Id()).Order());
        }
    }

    [Fact]
    public async Task List_ByTimeRange_ReturnsJobsCreatedFromFromAndBeforeTo()
    {
        var ordered = jobs.All.OrderBy(j => j.CreatedAt).ToList();
        var from = ordered[3].CreatedAt;
        var to = ordered[8].CreatedAt;

        var page = await Api.GetFromJsonAsync<JsonElement>(
            $"/api/jobs?type=noop&limit=100&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");

        Assert.Equal(ordered[3..8].Select(j => j.Id).Order(), page.GetProperty("items").EnumerateArray().Select(i => i.Id()).Order());
    }

    [Fact]
    public async Task Queues_CountJobsPerStatus()
    {
        var queues = await Api.GetFromJsonAsync<JsonElement>("/api/queues");

        var counts = queues.EnumerateArray().Single(q => q.GetProperty("type").GetString() == "noop").GetProperty("counts");
        foreach (var status in new[] { "completed", "failed", "delayed" })
        {
            Assert.Equal(jobs.All.Count(j => j.Status == status), counts.GetProperty(status).GetInt64());
        }
    }

    [Theory]
    [InlineData("type=fax", "type")]
    [InlineData("status=done", "status")]
    [InlineData("type=noop&status=running", "status")]
    [InlineData("type=noop&limit=0", "limit")]
    [InlineData("type=noop&limit=abc", "limit")]
    [InlineData("type=noop&from=yesterday", "from")]
    [InlineData("type=noop&from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to")]
    [InlineData("type=noop&cursor=not-a-cursor", "cursor")]
    public async Task List_WithABadParameter_Returns400NamingIt(string query, string parameter)
    {
        using var response = await Api.GetAsync($"/api/jobs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    /// <summary>Fifteen jobs in three statuses for two tenants, created once for the class.</summary>
    public sealed class Jobs : IAsyncLifetime
    {
        public JobsApp App { get; } = new();

        public List<(string Id, string Tenant, string Status, DateTimeOffset CreatedAt)> All { get; } = [];

        public async Task InitializeAsync()
        {
            await App.InitializeAsync();
            var api = App.Operator();
            var specs = new List<(string Tenant, string Status, object Request)>();
            for (var i = 0; i < 15; i++)
            {
                var tenant = i % 2 == 0 ? "acme" : "globex";
                specs.Add((i % 3) switch
                {
                    0 => (tenant, "completed", new { type = "noop", tenant, payload = new { } }),
                    1 => (tenant, "failed", (object)new { type = "noop", tenant, payload = new { failTimes = 1 }, attempts = 1 }),
                    _ => (tenant, "delayed", new { type = "noop", tenant, payload = new { }, delayMs = 3_600_000 }),
                });
            }

            foreach (var (tenant, status, request) in specs)
            {
                var created = await api.CreateJobAsync(request);
                var job = await api.WaitForStatusAsync(created.Id(), status);
                All.Add((created.Id(), tenant, status, job.GetProperty("createdAt").GetDateTimeOffset()));
            }
        }

        public Task DisposeAsync() => App.DisposeAsync();
    }
}
