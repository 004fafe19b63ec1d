using System.Text.Json;
using Jobs.JobTypes.ScriptForge;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Jobs.JobTypes.Tests.ScriptForge;

public sealed class ScheduleSiloTests(ScheduleCluster silo) : IClassFixture<ScheduleCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Schedule_AtAnOccurrence_CreatesTheOccurrencesJobWhichRunsTheStoredScript()
    {
        var store = new ScriptStore(silo.DataSource);
        var script = await store.SaveAsync(
            "acme", "heartbeat", "function main(label) { return label + ' ' + job.scheduledFor }", CancellationToken.None);
        var scheduleId = Guid.NewGuid();
        var schedule = silo.Cluster.GrainFactory.GetGrain<IScriptScheduleGrain>(scheduleId);

        var set = await schedule.SetAsync(new ScriptScheduleSpec
        {
            Tenant = "acme",
            Cron = "* * * * * *",
            TimeZone = "Europe/Paris",
            ScriptId = script.Id,
            ScriptVersion = 1,
            Function = "main",
            ArgumentsJson = "[\"beat\"]",
        });
        var fired = await PollAsync(schedule.GetAsync, s => s?.LastJobId is not null, "the schedule creates a job");
        await schedule.SetEnabledAsync(false);
        var occurrence = fired!.LastOccurrence!.Value;
        var jobId = fired.LastJobId!.Value;
        var job = await PollAsync(
            () => silo.Cluster.GrainFactory.GetGrain<IJobGrain>(jobId).GetAsync(),
            j => j?.Status is JobStatus.Completed or JobStatus.Failed,
            "the job finishes");

        Assert.True(set.IsValid);
        Assert.Equal(SchedulePlan.JobIdFor(scheduleId, occurrence), jobId);
        Assert.Equal((JobStatus.Completed, "acme", "scriptforge"), (job!.Status, job.Tenant, job.Type));
        Assert.Equal(JsonSerializer.Serialize($"beat {JsonSerializer.Serialize(occurrence.UtcDateTime).Trim('"')}"), job.Result);
    }

    [Fact]
    public async Task SetAsync_WhenSpecIsInvalid_RefusesNamingTheFields()
    {
        var schedule = silo.Cluster.GrainFactory.GetGrain<IScriptScheduleGrain>(Guid.NewGuid());

        var result = await schedule.SetAsync(new ScriptScheduleSpec
        {
            Tenant = "acme",
            Cron = "0 0 25 * * *",
            TimeZone = "Europe/Paris",
            ScriptId = Guid.Empty,
            ArgumentsJson = "[1]",
        });

        Assert.False(result.IsValid);
        Assert.Equal(["arguments", "cron", "scriptId"], result.Errors!.Keys.Order());
        Assert.Equal(
            "field 3 (hour) '25' at position 5 is invalid: value must be a number between 0 and 23 (all inclusive)",
            Assert.Single(result.Errors["cron"]));
        Assert.Null(await schedule.GetAsync());
    }

    [Fact]
    public async Task SetAsync_WhenTheScriptIsAnotherTenantsOrTheVersionIsMissing_RefusesIt()
    {
        var store = new ScriptStore(silo.DataSource);
        var script = await store.SaveAsync("owner", "private-" + Guid.NewGuid(), "1", CancellationToken.None);
        var schedule = silo.Cluster.GrainFactory.GetGrain<IScriptScheduleGrain>(Guid.NewGuid());
        var spec = new ScriptScheduleSpec { Tenant = "intruder", Cron = "* * * * * *", ScriptId = script.Id };

        var foreign = await schedule.SetAsync(spec);
        var missingVersion = await schedule.SetAsync(spec with { Tenant = "owner", ScriptVersion = 2 });

        Assert.Equal(["scriptId"], foreign.Errors!.Keys);
        Assert.Equal($"script {script.Id} has versions 1 to 1", Assert.Single(missingVersion.Errors!["scriptVersion"]));
        Assert.Null(await schedule.GetAsync());
    }

    [Fact]
    public async Task Schedule_SetEnabledAndDeleted_IsMirroredInTheIndex()
    {
        var store = new ScriptStore(silo.DataSource);
        var index = new ScriptScheduleIndex(silo.DataSource);
        var script = await store.SaveAsync("indexed", "listed-" + Guid.NewGuid(), "1", CancellationToken.None);
        var id = Guid.CreateVersion7();
        var schedule = silo.Cluster.GrainFactory.GetGrain<IScriptScheduleGrain>(id);

        await schedule.SetAsync(new ScriptScheduleSpec { Tenant = "indexed", Cron = "0 0 0 1 1 *", ScriptId = script.Id });
        var set = await index.PageAsync("indexed", null, 10, CancellationToken.None);
        await schedule.SetEnabledAsync(false);
        var disabled = await index.PageAsync(null, null, 1000, CancellationToken.None);
        await schedule.DeleteAsync();
        var deleted = await index.PageAsync("indexed", null, 10, CancellationToken.None);

        Assert.Equal(new ScriptScheduleEntry(id, "indexed", script.Id, true), Assert.Single(set));
        Assert.False(disabled.Single(e => e.Id == id).Enabled);
        Assert.Empty(deleted);
    }

    [Fact]
    public async Task ReplaceAsync_WhenTheScheduleWasDeleted_DoesNotBringItBack()
    {
        var store = new ScriptStore(silo.DataSource);
        var script = await store.SaveAsync("acme", "replaced-" + Guid.NewGuid(), "1", CancellationToken.None);
        var schedule = silo.Cluster.GrainFactory.GetGrain<IScriptScheduleGrain>(Guid.NewGuid());
        var spec = new ScriptScheduleSpec { Tenant = "acme", Cron = "0 0 0 1 1 *", ScriptId = script.Id };
        await schedule.SetAsync(spec);
        await schedule.DeleteAsync();

        var replaced = await schedule.ReplaceAsync(spec with { Cron = "0 0 0 2 1 *" });

        Assert.Null(replaced);
        Assert.Null(await schedule.GetAsync());
    }

    [Fact]
    public async Task ScheduleState_SurvivesTheHostsStorageSerializer()
    {
        var serializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));
        var state = new ScriptScheduleState
        {
            Spec = new ScriptScheduleSpec
            {
                Tenant = "acme",
                Cron = "0 30 2 * * *",
                TimeZone = "Europe/Paris",
                ScriptId = Guid.NewGuid(),
                Function = "main",
                ArgumentsJson = "[1]",
            },
            ArmedAt = DateTimeOffset.UnixEpoch,
            LastOccurrence = DateTimeOffset.UnixEpoch.AddDays(1),
            LastJobId = Guid.NewGuid(),
        };

        var copy = serializer.Deserialize<ScriptScheduleState>(serializer.Serialize(state));

        Assert.Equal(state.Spec, copy?.Spec);
        Assert.Equal((state.ArmedAt, state.LastOccurrence, state.LastJobId), (copy!.ArmedAt, copy.LastOccurrence, copy.LastJobId));
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string until)
    {
        var value = default(T)!;
        await Eventually.Until(async () => done(value = await read()), Patience, until);
        return value;
    }
}
