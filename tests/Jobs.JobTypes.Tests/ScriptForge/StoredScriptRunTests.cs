using Jobs.Handlers;
using Jobs.JobTypes.ScriptForge;

namespace Jobs.JobTypes.Tests.ScriptForge;

public sealed class StoredScriptRunTests(ScriptsDatabase database) : IClassFixture<ScriptsDatabase>
{
    private readonly ScriptStore _store = new(database.DataSource);

    [Fact]
    public async Task ExecuteAsync_WhenVersionIsGiven_RunsThatVersion()
    {
        var jobs = new ScriptJobs(_store);
        var v1 = await _store.SaveAsync(
            ScriptJobs.Tenant, Name(), "function price(seconds) { return seconds * 0.01 }", CancellationToken.None);
        await _store.SaveAsync(
            ScriptJobs.Tenant, v1.Name, "function price(seconds) { return seconds * 0.02 }", CancellationToken.None);

        var result = await jobs.ResultOfAsync(new { scriptId = v1.Id, version = 1, function = "price", arguments = new[] { 60 } });

        Assert.Equal("0.6", result);
    }

    [Fact]
    public async Task ExecuteAsync_WhenVersionIsAbsent_RunsTheLatest()
    {
        var jobs = new ScriptJobs(_store);
        var v1 = await _store.SaveAsync(ScriptJobs.Tenant, Name(), "'first'", CancellationToken.None);
        await _store.SaveAsync(ScriptJobs.Tenant, v1.Name, "'second'", CancellationToken.None);

        var result = await jobs.ResultOfAsync(new { scriptId = v1.Id });

        Assert.Equal("\"second\"", result);
    }

    [Fact]
    public async Task ExecuteAsync_WhenStoredScriptThrows_TheStackNamesTheScriptAndVersion()
    {
        var jobs = new ScriptJobs(_store);
        var saved = await _store.SaveAsync(
            ScriptJobs.Tenant, "billing", "function main() {\n  throw new Error('no plan') }", CancellationToken.None);
        var context = ScriptJobs.Context(new { scriptId = saved.Id, function = "main" });

        var outcome = await jobs.Handler.ExecuteAsync(context, CancellationToken.None);

        Assert.Equal("Error: no plan (line 2, column 9)", Assert.IsType<JobOutcome.Failure>(outcome).Reason);
        Assert.Contains("at main (billing@1:2:", Assert.Single(context.DrainLogs()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_WhenScriptBelongsToAnotherTenant_FailsPermanentlyAsNotFound()
    {
        var jobs = new ScriptJobs(_store);
        var theirs = await _store.SaveAsync("another-tenant", Name(), "'theirs'", CancellationToken.None);

        var failure = await jobs.FailureOfAsync(new { scriptId = theirs.Id, version = 1 });

        Assert.Equal($"stored script {theirs.Id} version 1 was not found for the job's tenant", failure.Reason);
        Assert.True(failure.Permanent);
    }

    [Fact]
    public async Task ExecuteAsync_WhenVersionDoesNotExist_FailsPermanentlyAsNotFound()
    {
        var jobs = new ScriptJobs(_store);
        var saved = await _store.SaveAsync(ScriptJobs.Tenant, Name(), "1", CancellationToken.None);

        var failure = await jobs.FailureOfAsync(new { scriptId = saved.Id, version = 7 });

        Assert.Equal($"stored script {saved.Id} version 7 was not found for the job's tenant", failure.Reason);
    }

    [Fact]
    public void Summarize_NamesTheScriptAndFunction()
    {
        var jobs = new ScriptJobs(_store);
        var payload = System.Text.Json.JsonDocument.Parse(
            """{ "scriptId": "6f1c0a86-5f7e-4f5b-9a39-0c0f3ad3c1f1", "version": 4, "function": "main" }""").RootElement;

        var summary = jobs.Handler.Summarize(payload);

        Assert.Equal(
            new Dictionary<string, string> { ["script"] = "6f1c0a86-5f7e-4f5b-9a39-0c0f3ad3c1f1 v4", ["function"] = "main" },
            summary);
    }

    private static string Name() => $"script-{Guid.NewGuid():N}";
}
