using System.Collections.Concurrent;
using System.Diagnostics;

namespace Jobs.Bench.Engine;

/// <summary>Start latency at a fixed rate (one producer, like the peers' paced cell) and the precision of delays.</summary>
internal sealed class LatencyPhases(JobTimings timings, IJobCreator creator)
{
    public async Task PacedAsync(string name, double rate, int count)
    {
        var tenant = $"{name}-{Guid.NewGuid():N}"[..20];
        var enqueued = new ConcurrentDictionary<Guid, DateTimeOffset>();
        var pending = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var wait = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            pending.Add(CreateAsync());
        }

        await Task.WhenAll(pending);
        await timings.WaitCompletedAsync(tenant, count, TimeSpan.FromMinutes(10));
        var times = await timings.ReadAsync(tenant);
        Report.Figure($"{name}.rate", rate, "jobs/s");
        Stats.ReportLatencies($"{name}.enqueue_to_start", enqueued.Select(e => (times[e.Key].Started - e.Value).TotalMilliseconds));
        Stats.ReportLatencies($"{name}.due_to_start", times.Values.Select(t => (t.Started - t.Due).TotalMilliseconds));

        async Task CreateAsync()
        {
            var start = DateTimeOffset.UtcNow;
            enqueued[await creator.CreateAsync(tenant)] = start;
        }
    }

    /// <summary>Jobs delayed by 0.2 to 3 s: how late after its due time each one starts.</summary>
    public async Task DelayPrecisionAsync(int count)
    {
        var tenant = $"delay-{Guid.NewGuid():N}"[..20];
        for (var i = 0; i < count; i++)
        {
            await creator.CreateAsync(tenant, DateTimeOffset.UtcNow.AddMilliseconds(200 + Random.Shared.Next(2_800)));
            await Task.Delay(20);
        }

        await timings.WaitCompletedAsync(tenant, count, TimeSpan.FromMinutes(5));
        var times = await timings.ReadAsync(tenant);
        var lateness = times.Values.Select(t => (t.Started - t.Due).TotalMilliseconds).ToList();
        Stats.ReportLatencies("delay.lateness", lateness);
        Report.Figure("delay.lateness.max", lateness.Max(), "ms");
        Report.Figure("delay.early_starts", lateness.Count(l => l < 0), "jobs");
    }
}
