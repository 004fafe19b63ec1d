using System.Collections.Concurrent;
using System.Net;
using Jobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        await using var hook = await HookServer.StartAsync(arrivals);
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
                payload = new { http = new { method = "POST", url = hook.Url, body = new { @event = "due" } } },
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

    /// <summary>A local server whose POST /hook notes when it was called.</summary>
    private sealed class HookServer(WebApplication app, string url) : IAsyncDisposable
    {
        /// <summary>The hook's address, for example <c>http://127.0.0.1:34567/hook</c>.</summary>
        public string Url { get; } = url;

        public static async Task<HookServer> StartAsync(ConcurrentQueue<DateTimeOffset> arrivals)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/hook", () =>
            {
                arrivals.Enqueue(DateTimeOffset.UtcNow);
                return "thanks";
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new HookServer(app, address.TrimEnd('/') + "/hook");
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
