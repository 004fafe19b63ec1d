using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Rating;

/// <summary>A re-rate's partitions on a cluster of two silo processes.</summary>
public sealed class CdrPartitionTests : IAsyncLifetime
{
    private RatingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RatingCluster.StartAsync(nameof(CdrPartitionTests));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Cdr_InEightPartitions_RunsThemOnBothSilosAndTheirSummariesAddUpExactly()
    {
        var calls = CdrFixtures.Generated(20_000);
        var cardId = await _cluster.AcmeCardAsync();
        var fileId = await _cluster.Kit.UploadAsync("calls.csv", RatingCluster.Bytes(calls));

        var result = await _cluster.Api.Operator().RunAsync("cdr", new
        {
            cardId, partitions = 8, source = new { fileId, format = "csv", columns = CdrFixtures.GeneratedColumns },
        }, TimeSpan.FromSeconds(120));

        RatingCluster.AssertTotals(await RatingCluster.ExpectedAsync(calls), result);
        var parts = await _cluster.Kit.Runs.PartitionsAsync(await JobOfAsync(result), default);
        Assert.Equal(8, parts.Count);
        Assert.All(parts, part => Assert.True(part.Finished));
        var silos = parts.Select(part => _cluster.Owner(part.Silo!)).Distinct().ToList();
        Assert.Equal(2, silos.Count);
        var output = (await _cluster.Kit.DownloadAsync(result.Guid("outputFileId"))).Split('\n');
        Assert.Equal(20_002, output.Length);
        Assert.Equal(Enumerable.Range(2, 20_000).Select(line => line.ToString()), output[1..^1].Select(row => row[..row.IndexOf(',')]));
    }

    private async Task<Guid> JobOfAsync(JsonElement result) =>
        await _cluster.Kit.ScalarAsync<Guid>("SELECT job_id FROM rating.cdr_run WHERE output_file_id = $1", result.Guid("outputFileId"));
}

/// <summary>A re-rate whose silo is killed mid-way: it resumes on the survivor and finishes with a clean run's totals.</summary>
public sealed class CdrSiloFailureTests : IAsyncLifetime
{
    private const int Partitions = 16;

    private RatingCluster _cluster = null!;

    /// <summary>One partition at a time per silo, so the re-rate lasts long enough to be interrupted mid-way.</summary>
    public async Task InitializeAsync() => _cluster = await RatingCluster.StartAsync(
        nameof(CdrSiloFailureTests), new Dictionary<string, string> { ["Jobs__Rating__PartitionsPerSilo"] = "1" });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Cdr_WhenTheSiloRunningItIsKilledMidway_FinishesOnTheSurvivorWithoutRecomputingFinishedPartitions()
    {
        var api = _cluster.Api.Operator();
        var calls = CdrFixtures.Generated(400_000);
        var cardId = await _cluster.AcmeCardAsync();
        var fileId = await _cluster.Kit.UploadAsync("calls.csv", RatingCluster.Bytes(calls));
        var created = await api.CreateJobAsync(new
        {
            type = "cdr", attempts = 3, backoff = new { kind = "fixed", delayMs = 0 },
            payload = new
            {
                cardId, partitions = Partitions, source = new { fileId, format = "csv", columns = CdrFixtures.GeneratedColumns },
            },
        });
        var jobId = Guid.Parse(created.Id());
        await Eventually.Until(async () => (await FinishedAsync(jobId)).Count >= 2, TimeSpan.FromSeconds(120), "two partitions finished");
        var history = (await api.GetJobAsync(created.Id())).GetProperty("history").EnumerateArray();
        var coordinator = history.Last().GetProperty("silo").GetString()!;
        var victim = _cluster.Owner(coordinator);

        victim.Kill();
        var finishedBefore = await FinishedAsync(jobId);

        var job = await api.WaitForStatusAsync(created.Id(), "completed", TimeSpan.FromSeconds(180));
        Assert.True(finishedBefore.Count < Partitions, "the silo was killed before every partition had finished");
        RatingCluster.AssertTotals(await RatingCluster.ExpectedAsync(calls), job.GetProperty("result"));
        var attempts = job.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("lost", attempts[0].GetProperty("outcome").GetString());
        Assert.False(victim.Owns(attempts[^1].GetProperty("silo").GetString()!));
        var resumed = System.Text.RegularExpressions.Regex.Match(RatingCalls.Logs(job), @"Resuming: (\d+) of 16 partitions");
        Assert.True(resumed.Success && int.Parse(resumed.Groups[1].Value) >= finishedBefore.Count, RatingCalls.Logs(job));

        var parts = await _cluster.Kit.Runs.PartitionsAsync(jobId, default);
        Assert.All(parts, part => Assert.True(part.Finished));
        foreach (var before in finishedBefore)
        {
            var after = parts[before.Part];
            Assert.Equal((1, before.Silo, before.FinishedAt), (after.Runs, after.Silo, after.FinishedAt));
        }

        Assert.All(parts.Where(part => finishedBefore.All(before => before.Part != part.Part)),
            part => Assert.False(victim.Owns(part.Silo!)));
        Assert.Equal(400_000L, job.GetProperty("result").GetProperty("callsKept").GetInt64());
        Assert.Equal(400_000L, await _cluster.Kit.ScalarAsync<long>("SELECT count(*) FROM rating.call WHERE job_id = $1", jobId));
    }

    private async Task<List<Jobs.JobTypes.Cdr.CdrPartitionRecord>> FinishedAsync(Guid jobId) =>
        [.. (await _cluster.Kit.Runs.PartitionsAsync(jobId, default)).Where(part => part.Finished)];
}
