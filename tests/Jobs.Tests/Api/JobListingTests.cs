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
    public async Task List_SortedOldestFirst_PagesOldestFirstWithoutGapsOrDuplicates()
    {
        var (items, pages) = await ListAllAsync("type=noop&sort=created_asc&limit=4");

        Assert.Equal((jobs.All.Count + 3) / 4, pages);
        Assert.Equal(jobs.All.OrderBy(j => j.CreatedAt).ThenBy(j => Guid.Parse(j.Id)).Select(j => j.Id), items);
    }

    [Theory]
    [InlineData("completed", "finished_desc")]
    [InlineData("completed", "finished_asc")]
    [InlineData("failed", "finished_desc")]
    [InlineData("failed", "created_asc")]
    public async Task List_SortedByATimeOfAFinishedTab_PagesInThatOrder(string status, string sort)
    {
        var (items, _) = await ListAllAsync($"type=noop&status={status}&sort={sort}&limit=2");

        var matching = jobs.All.Where(j => j.Status == status).ToList();
        Func<(string Id, string Tenant, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt), DateTimeOffset?> key =
            sort.StartsWith("finished", StringComparison.Ordinal) ? j => j.FinishedAt : j => j.CreatedAt;
        var expected = sort.EndsWith("_asc", StringComparison.Ordinal)
            ? matching.OrderBy(key).ThenBy(j => Guid.Parse(j.Id))
            : matching.OrderByDescending(key).ThenByDescending(j => Guid.Parse(j.Id));
        Assert.Equal(expected.Select(j => j.Id), items);
    }

    [Fact]
    public async Task List_ByFinishTime_IsNotTheCreationOrder()
    {
        var (byFinish, _) = await ListAllAsync("type=noop&status=completed&sort=finished_asc&limit=100");
        var (byCreation, _) = await ListAllAsync("type=noop&status=completed&sort=created_asc&limit=100");

        Assert.Equal(byCreation.Order(), byFinish.Order());
        Assert.NotEqual(byCreation, byFinish);
    }

    [Fact]
    public async Task List_WithACursorOfTheDefaultOrder_KeepsTheFormBulkCheckpointsSaved()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();

        var cursor = Registry.JobCursor.Encode(JobSort.CreatedDesc, at, id);

        Assert.Equal(System.Buffers.Text.Base64Url.EncodeToString(
            System.Text.Encoding.UTF8.GetBytes($"{at.UtcTicks}.{id:N}")), cursor);
        Assert.True(Registry.JobCursor.TryDecode(cursor, out var sort, out var decodedAt, out var decodedId));
        Assert.Equal((JobSort.CreatedDesc, at, id), (sort, decodedAt, decodedId));
        using var response = await Api.GetAsync($"/api/jobs?type=noop&cursor={cursor}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task List_WithACursorOfAnotherOrder_Returns400NamingTheCursor()
    {
        var first = await Api.GetFromJsonAsync<JsonElement>("/api/jobs?type=noop&sort=created_asc&limit=2");
        var cursor = Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!);

        using var response = await Api.GetAsync($"/api/jobs?type=noop&sort=created_desc&cursor={cursor}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("created_asc", problem.GetProperty("errors").GetProperty("cursor")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ByFinishTimeForATenantKey_Returns400NamingSort()
    {
        using var tenant = await jobs.App.ClientForNewKeyAsync("acme");

        using var response = await tenant.GetAsync("/api/jobs?type=noop&status=completed&sort=finished_desc");
        using var created = await tenant.GetAsync("/api/jobs?type=noop&status=completed&sort=created_asc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("tenant", problem.GetProperty("errors").GetProperty("sort")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
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
    [InlineData("type=noop&sort=newest", "sort")]
    [InlineData("type=noop&sort=CREATED_ASC", "sort")]
    [InlineData("type=noop&sort=finished_desc", "sort")]
    [InlineData("type=noop&status=delayed&sort=finished_asc", "sort")]
    [InlineData("type=noop&status=completed&tenant=acme&sort=finished_desc", "sort")]
    public async Task List_WithABadParameter_Returns400NamingIt(string query, string parameter)
    {
        using var response = await Api.GetAsync($"/api/jobs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    private async Task<(List<string> Ids, int Pages)> ListAllAsync(string query)
    {
        var ids = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Api.GetFromJsonAsync<JsonElement>(
                $"/api/jobs?{query}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.Id()));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);

        return (ids, pages);
    }

    /// <summary>
    /// Fifteen jobs in three statuses for two tenants, created once for the class. The completed ones run shorter the
    /// later they are created, so they finish in another order than they were created in.
    /// </summary>
    public sealed class Jobs : IAsyncLifetime
    {
        public JobsApp App { get; } = new();

        public List<(string Id, string Tenant, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)> All { get; } = [];

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
                    0 => (tenant, "completed", new { type = "noop", tenant, payload = new { durationMs = 1500 - (i * 100) } }),
                    1 => (tenant, "failed", (object)new { type = "noop", tenant, payload = new { failTimes = 1 }, attempts = 1 }),
                    _ => (tenant, "delayed", new { type = "noop", tenant, payload = new { }, delayMs = 3_600_000 }),
                });
            }

            var created = new List<string>();
            foreach (var (_, _, request) in specs)
            {
                created.Add((await api.CreateJobAsync(request)).Id());
            }

            foreach (var ((tenant, status, _), id) in specs.Zip(created))
            {
                var job = await api.WaitForStatusAsync(id, status);
                var finishedAt = job.TryGetProperty("finishedAt", out var finished) ? finished.GetDateTimeOffset() : (DateTimeOffset?)null;
                All.Add((id, tenant, status, job.GetProperty("createdAt").GetDateTimeOffset(), finishedAt));
            }
        }

        public Task DisposeAsync() => App.DisposeAsync();
    }
}
