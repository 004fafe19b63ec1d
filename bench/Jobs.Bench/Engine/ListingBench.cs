using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Jobs.Bench.Engine;

/// <summary>
/// Page time of the jobs listing over a million jobs of one type. The rows are written straight into the job index
/// (what listings read) rather than run as jobs, which would take far longer than the measurement itself.
/// </summary>
internal sealed class ListingBench(NpgsqlDataSource database, HttpClient http)
{
    private const int Requests = 200;

    public async Task RunAsync(int rows)
    {
        var clock = Stopwatch.StartNew();
        await using (var insert = database.CreateCommand(
            """
            INSERT INTO jobs.job_index (id, type, tenant, status, attempts_made, attempts, created_at, due_at, started_at,
                                        finished_at, failed_reason, progress, silo)
            SELECT gen_random_uuid(), 'noop', 'tenant-' || (i % 100),
                   CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'completed' END, 1, 3,
                   now() - make_interval(secs => i), now() - make_interval(secs => i),
                   now() - make_interval(secs => i) + interval '3 ms', now() - make_interval(secs => i) + interval '40 ms',
                   CASE WHEN i % 10 = 0 THEN 'no route to host' END, 100, 'bench'
            FROM generate_series(1, $1) AS i
            """))
        {
            insert.CommandTimeout = 600;
            insert.Parameters.Add(new NpgsqlParameter { Value = rows });
            await insert.ExecuteNonQueryAsync();
        }

        await using (var analyze = database.CreateCommand("ANALYZE jobs.job_index"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        Report.Figure("listing.rows", rows, "jobs");
        Report.Figure("listing.load_time", clock.Elapsed.TotalSeconds, "s");

        await MeasureAsync("listing.first_page", _ => "/api/jobs?type=noop&status=completed&limit=50");
        await MeasureAsync("listing.first_page_any_status", _ => "/api/jobs?type=noop&limit=50");
        await MeasureAsync("listing.first_page_tenant", i => $"/api/jobs?type=noop&tenant=tenant-{i % 100}&status=failed&limit=50");
        await MeasureDeepAsync();
    }

    private async Task MeasureAsync(string name, Func<int, string> url)
    {
        var times = new List<double>();
        for (var i = 0; i < Requests; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(url(i));
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        Stats.ReportLatencies(name, times.Skip(10));
    }

    /// <summary>Follows the cursor page after page, as someone paging through the whole listing would.</summary>
    private async Task MeasureDeepAsync()
    {
        var times = new List<double>();
        string? cursor = null;
        for (var i = 0; i < Requests; i++)
        {
            var clock = Stopwatch.StartNew();
            var page = await http.GetFromJsonAsync<JsonElement>(
                "/api/jobs?type=noop&status=completed&limit=50" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            times.Add(clock.Elapsed.TotalMilliseconds);
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }

        Stats.ReportLatencies("listing.next_pages", times.Skip(10));
    }
}
