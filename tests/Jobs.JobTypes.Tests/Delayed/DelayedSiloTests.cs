using System.Collections.Concurrent;
using System.Text.Json;
using Jobs.JobTypes.Tests.Infrastructure;
using Eventually = Jobs.Tests.Infrastructure.Eventually;
using TestHttpServer = Jobs.Tests.Infrastructure.TestHttpServer;
using Microsoft.AspNetCore.Builder;

namespace Jobs.JobTypes.Tests.Delayed;

/// <summary>Delayed jobs on the product's silo: they wait until due, act then, and outlive a silo restart.</summary>
public sealed class DelayedSiloTests
{
    private const string Tenant = "acme";

    // Timers may fire a hair before the wall clock agrees they are due; more than this would be a scheduling bug.
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task DelayedJobAction_WhenDue_CreatesASendJobInTheSameTenantThatDeliversTheMail()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("delayed_send");
        await using var silo = await JobsSiloHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Jobs:Send:Host"] = "127.0.0.1",
            ["Jobs:Send:Port"] = smtp.Port.ToString(),
            ["Jobs:Send:Tls"] = "none",
            ["Jobs:Send:DefaultFrom"] = "jobs@voip.example",
        });
        var runAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var payload = """{"job":{"type":"send","payload":{"to":"ann@customer.example","subject":"Your report","text":"Ready."}}}""";

        var delayed = await CreateAsync(silo, payload, runAt);
        var done = await WaitForAsync(silo, delayed.Id, JobStatus.Completed);
        var createdId = Guid.Parse(JsonDocument.Parse(done.Result!).RootElement.GetProperty("jobId").GetString()!);
        var created = await WaitForAsync(silo, createdId, JobStatus.Completed);

        Assert.Equal(JobStatus.Delayed, delayed.Status);
        Assert.True(done.StartedAt >= runAt - ClockTolerance, $"started at {done.StartedAt:O}, due at {runAt:O}");
        Assert.Equal(JobType.Send, created.Type);
        Assert.Equal(Tenant, created.Tenant);
        Assert.True(created.CreatedAt >= runAt - ClockTolerance);
        Assert.Equal("Your report", Assert.Single(smtp.Received).Message.Subject);
    }

    [Fact]
    public async Task DelayedHttpAction_WhenTheSiloRestartsBeforeItIsDue_RunsOnceWhenDue()
    {
        var arrivals = new ConcurrentQueue<DateTimeOffset>();
        await using var http = await TestHttpServer.StartAsync(app => app.MapPost("/hook", () =>
        {
            arrivals.Enqueue(DateTimeOffset.UtcNow);
            return "thanks";
        }));
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("delayed_restart");
        var settings = new Dictionary<string, string?> { ["Jobs:Delayed:AllowedHosts:0"] = "127.0.0.1" };
        var payload = JsonSerializer.Serialize(
            new { http = new { method = "POST", url = http.Url("hook"), body = new { @event = "due" } } });
        DateTimeOffset runAt;
        JobSnapshot delayed;

        await using (var first = await JobsSiloHost.StartAsync(database, settings))
        {
            runAt = DateTimeOffset.UtcNow.AddSeconds(8);
            delayed = await CreateAsync(first, payload, runAt);
        }

        var stoppedAt = DateTimeOffset.UtcNow;
        await using var second = await JobsSiloHost.StartAsync(database, settings);
        var done = await WaitForAsync(second, delayed.Id, JobStatus.Completed, TimeSpan.FromSeconds(90));

        Assert.True(stoppedAt < runAt, "the first silo stopped only after the job was due, so nothing was shown");
        Assert.Equal(JobStatus.Delayed, delayed.Status);
        var arrival = Assert.Single(arrivals);
        Assert.True(arrival >= runAt - ClockTolerance, $"arrived at {arrival:O}, due at {runAt:O}");
        var result = JsonDocument.Parse(done.Result!).RootElement;
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("thanks", result.GetProperty("body").GetString());
    }

    private static async Task<JobSnapshot> CreateAsync(JobsSiloHost silo, string payload, DateTimeOffset runAt)
    {
        var spec = new JobSpec { Type = JobType.Delayed, Tenant = Tenant, Payload = payload, RunAt = runAt };
        var created = await silo.Grains.GetGrain<IJobGrain>(Guid.CreateVersion7()).CreateAsync(spec, freshId: true);
        Assert.True(created.IsValid, string.Join("; ", created.Errors?.Select(e => $"{e.Key}: {e.Value[0]}") ?? []));
        return created.Job!;
    }

    private static async Task<JobSnapshot> WaitForAsync(
        JobsSiloHost silo, Guid id, JobStatus status, TimeSpan? timeout = null)
    {
        JobSnapshot? job = null;
        await Eventually.Until(async () =>
        {
            job = await silo.Grains.GetGrain<IJobGrain>(id).GetAsync();
            return job?.Status == status;
        }, timeout ?? TimeSpan.FromSeconds(30), $"job {id} is {status} (it is {job?.Status}, {job?.FailedReason})");
        return job!;
    }
}
