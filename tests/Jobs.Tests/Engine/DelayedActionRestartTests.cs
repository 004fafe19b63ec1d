using System.Collections.Concurrent;
using Jobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Jobs.Tests.Engine;

/// <summary>
/// A delayed HTTP action outlives a restart of the silo's process: the process is stopped while the job waits and
/// another starts on the same database, and the action reaches the local server once, at its due time.
/// </summary>
public sealed class DelayedActionRestartTests
{
    // A timer may fire a hair before the wall clock agrees; the late side allows for the lane, the handler and a busy
    // machine, and is far below the minute a sweep-only wake-up would take.
    private static readonly TimeSpan Early = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Late = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task DelayedHttpAction_WhenTheSiloProcessRestartsWhileItWaits_CallsTheServerOnceAtItsDueTime()
    {
        var arrivals = new ConcurrentQueue<DateTimeOffset>();
        await using var hook = await TestHttpServer.StartAsync(app => app.MapPost("/hook", () =>
        {
            arrivals.Enqueue(DateTimeOffset.UtcNow);
            return "thanks";
        }));
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("delayed_process_restart");
        var settings = new Dictionary<string, string> { ["Jobs__Delayed__AllowedHosts__0"] = "127.0.0.1" };
        var first = await SiloProcess.StartAsync(database, settings);
        var runAt = DateTimeOffset.UtcNow.AddSeconds(40);
        string id;
        await using (var before = new JobsApp().OnDatabase(database).With("Jobs:Mode", "client"))
        {
            await before.InitializeAsync();
            var created = await before.Operator().CreateJobAsync(new
            {
                type = "delayed",
                runAt,
                payload = new { http = new { method = "POST", url = hook.Url("hook").ToString(), body = new { @event = "due" } } },
            });
            Assert.Equal("delayed", created.Status());
            id = created.Id();
        }

        await first.StopAsync(TimeSpan.FromSeconds(30));
        await first.DisposeAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        await using var second = await SiloProcess.StartAsync(database, settings);
        await using var after = new JobsApp().OnDatabase(database).With("Jobs:Mode", "client");
        await after.InitializeAsync();
        var restartedAt = DateTimeOffset.UtcNow;
        var job = await after.Operator().WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(120));

        Assert.True(stoppedAt < runAt && restartedAt < runAt,
            $"stopped at {stoppedAt:O} and back at {restartedAt:O}, due at {runAt:O}: the restart did not happen while it waited");
        var arrival = Assert.Single(arrivals);
        Assert.True(arrival >= runAt - Early && arrival <= runAt + Late, $"arrived at {arrival:O}, due at {runAt:O}");
        var result = job.GetProperty("result");
        Assert.Equal((200, "thanks"), (result.GetProperty("status").GetInt32(), result.GetProperty("body").GetString()));
        Assert.Single(job.GetProperty("history").EnumerateArray());
    }
}
