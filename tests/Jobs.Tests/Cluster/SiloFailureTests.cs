using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Cluster;

/// <summary>
/// Two silos in processes of their own and the API joining them as an Orleans client; one silo is killed while it
/// runs jobs, which must finish on the survivor with the lost attempt recorded.
/// </summary>
public sealed class SiloFailureTests : IAsyncLifetime
{
    private readonly List<SiloProcess> _silos = [];
    private JobsApp? _api;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        var database = await server.CreateDatabaseAsync(nameof(SiloFailureTests));

        // The first silo applies the schema; the second joins the cluster it formed.
        _silos.Add(await SiloProcess.StartAsync(database));
        _silos.Add(await SiloProcess.StartAsync(database));
        _api = new JobsApp().OnDatabase(database).With("Jobs:Mode", "client");
        await _api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task KillSilo_WhileItRunsJobs_TheyFinishOnTheSurvivorWithTheLostAttemptRecorded()
    {
        var api = _api!.Operator();
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var job = await api.CreateJobAsync(new
            {
                type = "noop", payload = new { durationMs = 4_000 }, attempts = 3, backoff = new { kind = "fixed", delayMs = 0 },
            });
            ids.Add(job.Id());
        }

        var running = new List<JsonElement>();
        foreach (var id in ids)
        {
            running.Add(await api.WaitForStatusAsync(id, "active"));
        }

        var victim = _silos.First(silo => running.Any(job => silo.Owns(SiloOf(job))));
        var survivor = _silos.Single(silo => silo != victim);
        var lostIds = running.Where(job => victim.Owns(SiloOf(job))).Select(job => job.Id()).ToList();

        victim.Kill();

        foreach (var id in lostIds)
        {
            var job = await api.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(60));
            var history = job.GetProperty("history").EnumerateArray().ToList();
            Assert.Equal(2, job.GetProperty("attemptsMade").GetInt32());
            Assert.Equal("lost", history[0].GetProperty("outcome").GetString());
            Assert.StartsWith("worker lost", history[0].GetProperty("error").GetString());
            Assert.True(victim.Owns(history[0].GetProperty("silo").GetString()!));
            Assert.Equal("completed", history[1].GetProperty("outcome").GetString());
            Assert.True(survivor.Owns(history[1].GetProperty("silo").GetString()!), survivor.Output);
        }

        foreach (var id in ids.Except(lostIds))
        {
            var job = await api.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(60));
            Assert.Equal(1, job.GetProperty("attemptsMade").GetInt32());
        }
    }

    private static string SiloOf(JsonElement job) =>
        job.GetProperty("history").EnumerateArray().Last().GetProperty("silo").GetString()!;
}
