using System.Text;
using Jobs.JobTypes.Cdr;
using Jobs.JobTypes.Tests.Card;
using Jobs.Rating;
using Jobs.Rating.Cdrs;

namespace Jobs.JobTypes.Tests.Cdr;

/// <summary>Partition claims on a real PostgreSQL: a partition finishes once, and an unfinished run leaves nothing.</summary>
public sealed class CdrRunStoreTests(RatingDatabase database) : IClassFixture<RatingDatabase>
{
    private static readonly byte[] Calls = Encoding.UTF8.GetBytes("""
        "","1115","2484361721","default","","","","Dial","","2026-03-01 10:00:00","","",42,37,"ANSWERED","","c1",""
        "","1115","2484361721","default","","","","Dial","","2026-03-01 10:05:00","","",15,0,"NO ANSWER","","c2",""

        """);

    [Fact]
    public async Task ClaimAsync_OfAFinishedPartition_GivesNothingToRun()
    {
        var jobId = await PlanAsync(parts: 2);

        await RunAsync(jobId, part: 0);

        Assert.Null(await database.Runs.ClaimAsync(jobId, 0, keepCalls: true, default));
        var parts = await database.Runs.PartitionsAsync(jobId, default);
        Assert.Equal((1, true, 2L), (parts[0].Runs, parts[0].Finished, parts[0].CallsKept));
        Assert.Equal((0, false), (parts[1].Runs, parts[1].Finished));
    }

    [Fact]
    public async Task ClaimAsync_WhileAnotherRunHoldsThePartition_WaitsAndThenFindsItFinished()
    {
        var jobId = await PlanAsync(parts: 1);
        var first = await database.Runs.ClaimAsync(jobId, 0, keepCalls: false, default);

        var second = database.Runs.ClaimAsync(jobId, 0, keepCalls: false, default);
        await Jobs.Tests.Infrastructure.Eventually.Until(
            async () => await database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") > 0,
            TimeSpan.FromSeconds(10), "the second claim waits for the partition's lock");
        Assert.False(second.IsCompleted);
        await first!.FinishAsync(Summary(), "silo-a", default);
        await first.DisposeAsync();

        Assert.Null(await second);
    }

    [Fact]
    public async Task ClaimAsync_AfterARunDiedMidway_StartsFromACleanSlate()
    {
        var jobId = await PlanAsync(parts: 1);
        var dying = await database.Runs.ClaimAsync(jobId, 0, keepCalls: true, default);
        var sink = await dying!.KeepCallsAsync("acme", default);
        await using (var output = await database.Runs.OpenOutputAsync(jobId, 0, default))
        {
            await Rerater().RateAsync(new MemoryStream(Calls), output, new CdrRunOptions { Calls = sink });
            await output.CompleteAsync(default);
        }

        // The run dies before its summary: its calls go with its transaction, its committed output is replaced.
        await dying.DisposeAsync();
        await RunAsync(jobId, part: 0);

        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM rating.call WHERE job_id = $1", jobId));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM rating.cdr_output_chunk WHERE job_id = $1", jobId));
        Assert.Equal(2, (await database.Runs.PartitionsAsync(jobId, default))[0].Runs);
    }

    [Fact]
    public async Task CreateAsync_ForAJobAlreadyPlanned_KeepsTheFirstPlan()
    {
        var jobId = await PlanAsync(parts: 3);

        var again = await database.Runs.CreateAsync(Run(jobId, parts: 5), default);

        Assert.Equal(3, again.Plan.Parts.Count);
        Assert.Equal(3, (await database.Runs.PartitionsAsync(jobId, default)).Count);
    }

    private async Task<Guid> PlanAsync(int parts)
    {
        var jobId = Guid.CreateVersion7();
        await database.Runs.CreateAsync(Run(jobId, parts), default);
        return jobId;
    }

    private static CdrRun Run(Guid jobId, int parts) => new(jobId, "acme", Guid.CreateVersion7(), KeepCalls: true, new CdrPlan(
        [.. Enumerable.Range(0, parts).Select(index => new CdrPlanPart { Index = index })], [], []));

    private async Task RunAsync(Guid jobId, int part)
    {
        await using var claim = await database.Runs.ClaimAsync(jobId, part, keepCalls: true, default);
        var sink = await claim!.KeepCallsAsync("acme", default);
        await using var output = await database.Runs.OpenOutputAsync(jobId, part, default);
        var summary = await Rerater().RateAsync(new MemoryStream(Calls), output, new CdrRunOptions { Calls = sink });
        await output.CompleteAsync(default);
        await claim.FinishAsync(summary, "silo-a", default);
    }

    private static CdrRerater Rerater() => new(
        RateCard.Create(new CardTerms("t", "USD"), [new RateEntry("1248", "US", 0.012m, 0m, 6, 6, null, null, false)]),
        new CdrSettings { Format = CdrFormat.AsteriskMaster });

    private static CdrSummary Summary() => new() { Precision = 4 };
}
