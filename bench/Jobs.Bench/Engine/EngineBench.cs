using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace Jobs.Bench.Engine;

/// <summary>
/// The job engine measured the way the peers in shared/peers are: durable noop jobs through the API and through the
/// grain client (enqueue only, drain, live end to end), start latency at a fixed moderate rate and at half the
/// maximum, delay precision, listing pages over a million jobs, and the time to recover jobs of a killed silo.
/// bench/run-engine.sh starts PostgreSQL and the Jobs process, then runs this.
/// </summary>
internal static class EngineBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions(args);
        await using var database = NpgsqlDataSource.Create(options.Database);
        var timings = new JobTimings(database);
        var cpu = new CpuMeter(options.ApiPid, options.PostgresPid);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = options.Api };
        http.DefaultRequestHeaders.Add("X-Api-Key", options.Key);
        var phases = new ThroughputPhases(options, timings, cpu, http);

        var liveRate = 0.0;
        if (options.Runs("api"))
        {
            liveRate = await phases.RunAsync(new HttpJobCreator(http));
        }

        if (options.Runs("grain"))
        {
            using var client = await ConnectClientAsync(options.Database, "jobs");
            await phases.RunAsync(new GrainJobCreator(client.Services.GetRequiredService<IGrainFactory>()));
        }

        var latency = new LatencyPhases(timings, new HttpJobCreator(http));
        if (options.Runs("latency"))
        {
            await latency.PacedAsync("paced", rate: 20, count: 300);
            if (liveRate > 0)
            {
                await latency.PacedAsync("half_rate", rate: liveRate / 2, count: (int)Math.Min(liveRate * 5, 10_000));
            }
        }

        if (options.Runs("delay"))
        {
            await latency.DelayPrecisionAsync(count: 300);
        }

        if (options.Runs("listing"))
        {
            await new ListingBench(database, http).RunAsync(options.ListingRows);
        }

        if (options.Runs("recovery") && options.SiloDll is { Length: > 0 } silo)
        {
            await new RecoveryBench(options.Database, silo).RunAsync();
        }

        return 0;
    }

    public static async Task<IHost> ConnectClientAsync(string database, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", database));
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Runs <paramref name="count"/> creations on <paramref name="producers"/> concurrent loops.</summary>
    public static async Task<ConcurrentDictionary<Guid, DateTimeOffset>> ProduceAsync(
        IJobCreator creator, string tenant, int count, int producers)
    {
        var enqueued = new ConcurrentDictionary<Guid, DateTimeOffset>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var start = DateTimeOffset.UtcNow;
                enqueued[await creator.CreateAsync(tenant)] = start;
            }
        })));
        return enqueued;
    }
}

/// <summary>Enqueue-only, drain and live phases, as in the peers' cells.</summary>
internal sealed class ThroughputPhases(BenchOptions options, JobTimings timings, CpuMeter cpu, HttpClient http)
{
    /// <summary>Runs the phases through <paramref name="creator"/>; returns the live end-to-end rate (jobs/s).</summary>
    public async Task<double> RunAsync(IJobCreator creator)
    {
        var name = creator.Name;
        var n = options.Jobs;
        var run = Guid.NewGuid().ToString("N")[..6];

        await EngineBench.ProduceAsync(creator, $"warm-{name}-{run}", 200, options.Producers);
        await timings.WaitCompletedAsync($"warm-{name}-{run}", 200, TimeSpan.FromMinutes(2));

        await SetPausedAsync(true);
        var clock = Stopwatch.StartNew();
        await EngineBench.ProduceAsync(creator, $"backlog-{name}-{run}", n, options.Producers);
        Report.Figure($"{name}.enqueue_only.throughput", n / clock.Elapsed.TotalSeconds, "jobs/s");

        var before = cpu.Read();
        var resumedAt = DateTimeOffset.UtcNow;
        await SetPausedAsync(false);
        var drained = await timings.WaitCompletedAsync($"backlog-{name}-{run}", n, TimeSpan.FromMinutes(30));
        Report.Figure($"{name}.drain.throughput", n / (drained - resumedAt).TotalSeconds, "jobs/s");
        CpuMeter.ReportPerJob($"{name}.drain", before, cpu.Read(), n);

        before = cpu.Read();
        var enqueued = await EngineBench.ProduceAsync(creator, $"live-{name}-{run}", n, options.Producers);
        var finished = await timings.WaitCompletedAsync($"live-{name}-{run}", n, TimeSpan.FromMinutes(30));
        var after = cpu.Read();
        var rate = n / (finished - enqueued.Values.Min()).TotalSeconds;
        Report.Figure($"{name}.live.e2e_throughput", rate, "jobs/s");
        CpuMeter.ReportPerJob($"{name}.live", before, after, n);
        var times = await timings.ReadAsync($"live-{name}-{run}");
        Stats.ReportLatencies($"{name}.live.enqueue_to_start", enqueued.Select(e => (times[e.Key].Started - e.Value).TotalMilliseconds));
        return rate;
    }

    private async Task SetPausedAsync(bool paused)
    {
        using var response = await http.PostAsync($"/api/queues/noop/{(paused ? "pause" : "resume")}", null);
        response.EnsureSuccessStatusCode();
    }
}
