using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Jobs.Engine;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jobs.Bench.Engine;

/// <summary>
/// Two silo processes with the production membership settings; one is killed (SIGKILL) while it runs jobs. Recovery
/// time is from the kill to the moment each lost job's next attempt starts on the survivor.
/// </summary>
internal sealed class RecoveryBench(string database, string siloDll)
{
    public async Task RunAsync()
    {
        var recoveryDatabase = new NpgsqlConnectionStringBuilder(database) { Database = "jobs_recovery" }.ConnectionString;
        var silos = new[] { StartSilo(recoveryDatabase), StartSilo(recoveryDatabase) };
        try
        {
            await using var data = NpgsqlDataSource.Create(recoveryDatabase);
            await WaitReadyAsync(silos);
            using var client = await EngineBench.ConnectClientAsync(recoveryDatabase, "jobs");
            var grains = client.Services.GetRequiredService<IGrainFactory>();

            var ids = new List<Guid>();
            for (var i = 0; i < 8; i++)
            {
                var id = JobIds.New();
                var spec = new JobSpec
                {
                    Type = JobType.Noop, Tenant = "recovery", Payload = """{"durationMs": 600000}""", Attempts = 3,
                    Backoff = new Backoff(BackoffKind.Fixed, TimeSpan.Zero),
                };
                await grains.GetGrain<IJobGrain>(id).CreateAsync(spec, freshId: true);
                ids.Add(id);
            }

            var running = await WaitAsync(data, "SELECT id, silo FROM jobs.job_index WHERE tenant = 'recovery' AND status = 'active'", 8);
            var victim = silos.OrderByDescending(s => running.Count(r => r.Silo.Contains($":{s.Port}@", StringComparison.Ordinal))).First();
            var lost = running.Where(r => r.Silo.Contains($":{victim.Port}@", StringComparison.Ordinal)).Select(r => r.Id).ToHashSet();

            var killedAt = DateTimeOffset.UtcNow;
            victim.Process.Kill(entireProcessTree: true);
            var recovered = await WaitAsync(
                data, "SELECT id, started_at::text FROM jobs.job_index WHERE tenant = 'recovery' AND attempts_made = 2 AND status = 'active'",
                lost.Count);
            var seconds = recovered.Where(r => lost.Contains(r.Id))
                .Select(r => (DateTimeOffset.Parse(r.Silo, System.Globalization.CultureInfo.InvariantCulture) - killedAt).TotalSeconds)
                .Order().ToList();
            Report.Figure("recovery.jobs_lost", seconds.Count, "jobs");
            Report.Figure("recovery.p50", Stats.Percentile(seconds, 50), "s");
            Report.Figure("recovery.max", seconds.Max(), "s");
        }
        finally
        {
            foreach (var silo in silos)
            {
                if (!silo.Process.HasExited)
                {
                    silo.Process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private static async Task<List<(Guid Id, string Silo)>> WaitAsync(NpgsqlDataSource data, string sql, int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var rows = new List<(Guid, string)>();
            await using (var command = data.CreateCommand(sql))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetGuid(0), reader.GetString(1)));
                }
            }

            if (rows.Count >= count)
            {
                return rows;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"only {rows.Count} of {count} rows for: {sql}");
            }

            await Task.Delay(20);
        }
    }

    private (Process Process, int Port, int HttpPort) StartSilo(string connectionString)
    {
        var (port, httpPort, gateway) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(siloDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{httpPort}");
        start.Environment["ConnectionStrings__Jobs"] = connectionString;
        start.Environment["Jobs__Cluster__SiloPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Jobs__Cluster__GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, port, httpPort);
    }

    private static async Task WaitReadyAsync(IEnumerable<(Process Process, int Port, int HttpPort)> silos)
    {
        using var http = new HttpClient();
        foreach (var silo in silos)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync($"http://127.0.0.1:{silo.HttpPort}/health/ready")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }

                if (clock.Elapsed > TimeSpan.FromMinutes(2) || silo.Process.HasExited)
                {
                    throw new InvalidOperationException($"silo on port {silo.Port} did not become ready");
                }

                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(30000, 60000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
