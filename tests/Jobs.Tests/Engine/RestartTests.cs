using Jobs.Tests.Infrastructure;
using Npgsql;

namespace Jobs.Tests.Engine;

/// <summary>Jobs outlive the processes that run them: a full stop of the silo and of PostgreSQL loses nothing.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task DelayedJob_WhenSiloAndDatabaseStopPastItsDueTime_RunsAfterTheRestart()
    {
        using var postgres = await PostgresServer.StartDedicatedAsync();
        var database = await postgres.Server.CreateDatabaseAsync("restart");
        string id;
        DateTimeOffset dueAt;
        await using (var before = new JobsApp().OnDatabase(database))
        {
            await before.InitializeAsync();
            var created = await before.Operator().CreateJobAsync(new { type = "noop", payload = new { }, delayMs = 3_000 });
            Assert.Equal("delayed", created.Status());
            id = created.Id();
            dueAt = created.GetProperty("dueAt").GetDateTimeOffset();
        }

        await postgres.StopAsync();
        await WaitUntilPastAsync(dueAt.AddSeconds(1));
        await postgres.StartAsync();

        // A restarted process starts with empty connection pools; this one must drop the connections the stop broke.
        NpgsqlConnection.ClearAllPools();

        await using var after = new JobsApp().OnDatabase(database);
        await after.InitializeAsync();
        var job = await after.Operator().WaitForStatusAsync(id, "completed");

        Assert.True(job.GetProperty("startedAt").GetDateTimeOffset() > dueAt.AddSeconds(1), "it ran after the restart");
        Assert.Single(job.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task ActiveJob_WhenTheSiloStopsGracefully_IsInterruptedWithoutUsingAnAttemptAndRunsAfterTheRestart()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("interrupt");
        string id;
        await using (var before = new JobsApp().OnDatabase(database))
        {
            await before.InitializeAsync();
            var created = await before.Operator().CreateJobAsync(new { type = "noop", payload = new { durationMs = 60_000 }, attempts = 1 });
            id = created.Id();
            await before.Operator().WaitForStatusAsync(id, "active");
        }

        await using var after = new JobsApp().OnDatabase(database).With("Jobs:Engine:ShutdownGrace", "00:00:01");
        await after.InitializeAsync();
        var job = await after.Operator().WaitForStatusAsync(id, "active");

        var history = job.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal("interrupted", history[0].GetProperty("outcome").GetString());
        Assert.Equal(1, job.GetProperty("attemptsMade").GetInt32());
        await after.Operator().PostAsync($"/api/jobs/{id}/cancel", null);
    }

    private static async Task WaitUntilPastAsync(DateTimeOffset moment)
    {
        var wait = moment - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}
