using System.Text.Json;
using Jobs.Handlers;
using Jobs.JobTypes.Send;
using Jobs.JobTypes.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Jobs.JobTypes.Tests.Delayed.DelayedTestKit;

namespace Jobs.JobTypes.Tests.Delayed;

/// <summary>The job action against the product's silo, which creates (or refuses) the job.</summary>
public sealed class DelayedJobActionTests(DelayedJobActionTests.Silo silo) : IClassFixture<DelayedJobActionTests.Silo>
{
    [Fact]
    public async Task ExecuteAsync_WhenAnAttemptRunsAgain_ReturnsTheJobTheFirstAttemptCreated()
    {
        var delayedJobId = Guid.CreateVersion7();
        var payload = """{"job":{"type":"noop","payload":{"durationMs":0},"priority":7,"delayMs":600000}}""";
        var handler = Handler(clock: TimeProvider.System);

        var first = AssertCompleted(await handler.ExecuteAsync(Attempt(payload, delayedJobId, silo.Host.Grains), default));
        var second = AssertCompleted(await handler.ExecuteAsync(
            Attempt(payload, delayedJobId, silo.Host.Grains, attempt: 2), default));

        var createdId = first.GetProperty("jobId").GetGuid();
        var created = await silo.Host.Grains.GetGrain<IJobGrain>(createdId).GetAsync();
        Assert.Equal(createdId, second.GetProperty("jobId").GetGuid());
        Assert.False(first.TryGetProperty("existed", out _));
        Assert.True(second.GetProperty("existed").GetBoolean());
        Assert.NotEqual(delayedJobId, createdId);
        Assert.NotNull(created);
        Assert.Equal((JobType.Noop, Tenant, JobStatus.Delayed, 7), (created.Type, created.Tenant, created.Status, created.Priority));
    }

    [Fact]
    public async Task ExecuteAsync_WhenTheClusterRefusesTheJob_FailsPermanentlyWithItsErrors()
    {
        // This handler's send rules allow any sender; the silo's allow only voip.example.
        var handler = Handler(addHandlers: services => services.AddSingleton<IJobHandler>(new SendHandler(
            Options.Create(new SendOptions { DefaultFrom = "jobs@voip.example" }), NullLogger<SendHandler>.Instance)));
        var payload = JsonSerializer.Serialize(new
        {
            job = new
            {
                type = "send",
                payload = new { from = "billing@bank.example", to = "ann@customer.example", subject = "Hi", text = "x" },
            },
        });

        var outcome = await handler.ExecuteAsync(Attempt(payload, grains: silo.Host.Grains), default);

        var failure = AssertFailed(outcome, permanent: true);
        Assert.Equal(
            "the send job was refused: payload.from: uses the domain 'bank.example', which this platform may not send from.",
            failure.Reason);
    }

    /// <summary>One silo for the class, whose send type accepts only senders at voip.example.</summary>
    public sealed class Silo : IAsyncLifetime
    {
        public JobsSiloHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("delayed_jobs");
            Host = await JobsSiloHost.StartAsync(database, new Dictionary<string, string?>
            {
                ["Jobs:Send:DefaultFrom"] = "jobs@voip.example",
                ["Jobs:Send:AllowedFromDomains:0"] = "voip.example",
            });
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }
}
