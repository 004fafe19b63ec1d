using Jobs.Handlers;
using Jobs.JobTypes.ScriptForge;

namespace Jobs.JobTypes.Tests.ScriptForge;

public sealed class ScriptResultTests(ScriptsDatabase database) : IClassFixture<ScriptsDatabase>
{
    private readonly ScriptJobs _jobs = new(new ScriptStore(database.DataSource));

    [Theory]
    [InlineData("return 42", "42")]
    [InlineData("return 1.5", "1.5")]
    [InlineData("return 'héllo \"quoted\"'", "\"héllo \\\"quoted\\\"\"")]
    [InlineData("return true", "true")]
    [InlineData("return null", "null")]
    [InlineData("return undefined", "null")]
    [InlineData("", "null")]
    [InlineData("return [1, 'two', null, [3]]", "[1,\"two\",null,[3]]")]
    [InlineData("return { a: 1, b: { c: [true] }, skipped: undefined, f: function () {} }", "{\"a\":1,\"b\":{\"c\":[true]}}")]
    [InlineData("return new Date(Date.UTC(2026, 2, 29, 1, 0, 0))", "\"2026-03-29T01:00:00.000Z\"")]
    [InlineData("return NaN", "null")]
    public async Task ExecuteAsync_WhenFunctionReturnsValue_ResultIsItsJson(string body, string expectedJson)
    {
        var payload = new { source = $"function main() {{ {body} }}", function = "main" };

        var result = await _jobs.ResultOfAsync(payload);

        Assert.Equal(expectedJson, result);
    }

    [Fact]
    public async Task ExecuteAsync_WhenArgumentsIsArray_ItIsTheArgumentList()
    {
        var payload = new
        {
            source = "function add(a, b, options) { return { sum: a + b, label: options.label } }",
            function = "add",
            arguments = new object[] { 2, 40, new { label = "answer" } },
        };

        var result = await _jobs.ResultOfAsync(payload);

        Assert.Equal("{\"sum\":42,\"label\":\"answer\"}", result);
    }

    [Fact]
    public async Task ExecuteAsync_WhenArgumentsIsNotArray_ItIsTheOnlyArgument()
    {
        var payload = new
        {
            source = "function describe(call) { return arguments.length + ' ' + call.from + '->' + call.to }",
            function = "describe",
            arguments = new { from = "+3314", to = "+4420" },
        };

        var result = await _jobs.ResultOfAsync(payload);

        Assert.Equal("\"1 +3314->+4420\"", result);
    }

    [Fact]
    public async Task ExecuteAsync_WhenNoFunction_ResultIsTheCompletionValue()
    {
        var payload = new { source = "const rates = [0.01, 0.02];\nrates.map(r => r * 100);" };

        var result = await _jobs.ResultOfAsync(payload);

        Assert.Equal("[1,2]", result);
    }

    [Fact]
    public async Task ExecuteAsync_WhenFunctionIsDeclaredWithConst_ItIsFound()
    {
        var payload = new { source = "const main = (n) => n * 2;", function = "main", arguments = new[] { 21 } };

        var result = await _jobs.ResultOfAsync(payload);

        Assert.Equal("42", result);
    }

    [Fact]
    public async Task ExecuteAsync_WhenFunctionIsAsync_ResultIsTheSettledValue()
    {
        var payload = new
        {
            source = "async function main() { const parts = await Promise.all([1, 2].map(async n => n * 10)); return parts }",
            function = "main",
        };

        var result = await _jobs.ResultOfAsync(payload);

        Assert.Equal("[10,20]", result);
    }

    [Fact]
    public async Task ExecuteAsync_WhenPromiseNeverSettles_FailsSayingSo()
    {
        var payload = new { source = "function main() { return new Promise(() => {}) }", function = "main" };

        var failure = await _jobs.FailureOfAsync(payload);

        Assert.Equal("script returned a promise that never settles", failure.Reason);
        Assert.True(failure.Permanent);
    }

    [Fact]
    public async Task ExecuteAsync_WhenFunctionIsMissing_FailsNamingIt()
    {
        var payload = new { source = "function main() { return 1 }", function = "mian" };

        var failure = await _jobs.FailureOfAsync(payload);

        Assert.Equal("function 'mian' is not defined by the script", failure.Reason);
        Assert.True(failure.Permanent);
    }

    [Fact]
    public async Task ExecuteAsync_WhenResultHasCycle_FailsSayingItIsNotJson()
    {
        var payload = new { source = "const a = { name: 'a' }; a.self = a; a;" };

        var failure = await _jobs.FailureOfAsync(payload);

        Assert.StartsWith("script result is not JSON-serializable: TypeError:", failure.Reason);
        Assert.True(failure.Permanent);
    }

    [Fact]
    public async Task ExecuteAsync_WhenResultIsTooLong_FailsNamingTheLimit()
    {
        var jobs = new ScriptJobs(new ScriptStore(database.DataSource), new ScriptForgeOptions { MaxResultLength = 100 });

        var failure = await jobs.FailureOfAsync(new { source = "'x'.repeat(200)" });

        Assert.Equal("script result is 202 characters of JSON; the limit is 100", failure.Reason);
    }

    [Fact]
    public async Task ExecuteAsync_WhenScriptWritesLogs_TheyReachTheJobLogWithTheirLevels()
    {
        var context = ScriptJobs.Context(new
        {
            source = """
                console.log('rating', 3, 'calls', { prefix: '+33' });
                console.info('info line');
                console.warn('careful');
                console.error(new TypeError('bad rate'));
                console.debug([1, 2]);
                """,
        });

        await _jobs.Handler.ExecuteAsync(context, CancellationToken.None);

        var logs = context.DrainLogs().Select(line => (line.Level, line.Message)).ToList();
        Assert.Equal(
            [
                ("info", "rating 3 calls {\"prefix\":\"+33\"}"),
                ("info", "info line"),
                ("warn", "careful"),
                ("error", "TypeError: bad rate"),
                ("debug", "[1,2]"),
            ],
            logs);
    }

    [Fact]
    public async Task ExecuteAsync_WhenScriptLogsTooMuch_LinesAreCutAndCapped()
    {
        var jobs = new ScriptJobs(new ScriptStore(database.DataSource), new ScriptForgeOptions { MaxLogLines = 3, MaxLogLineLength = 80 });
        var context = ScriptJobs.Context(new { source = "for (let i = 0; i < 10; i++) console.log(String(i).repeat(100))" });

        await jobs.Handler.ExecuteAsync(context, CancellationToken.None);

        var logs = context.DrainLogs();
        Assert.Equal(4, logs.Count);
        Assert.Equal(new string('0', 80) + "… (cut at 80 characters)", logs[0].Message);
        Assert.Equal(("warn", "console: the limit of 3 lines is reached; later lines are dropped"), (logs[3].Level, logs[3].Message));
    }

    [Fact]
    public async Task ExecuteAsync_WhenScriptReportsProgress_ContextHasTheLatest()
    {
        var context = ScriptJobs.Context(new
        {
            source = "progress(10, 'loading'); job.progress(55.4, 'rating'); progress(250);",
        });

        await _jobs.Handler.ExecuteAsync(context, CancellationToken.None);

        Assert.Equal(new JobProgress(100, null), context.Progress);
        Assert.Equal(3, context.ProgressVersion);
    }

    [Fact]
    public async Task ExecuteAsync_WhenProgressIsNotANumber_ScriptGetsATypeError()
    {
        var payload = new { source = "try { progress('half') } catch (e) { e.name + ': ' + e.message }" };

        var result = await _jobs.ResultOfAsync(payload);

        Assert.Equal("\"TypeError: progress(percent, message): percent must be a number from 0 to 100\"", result);
    }

    [Fact]
    public async Task ExecuteAsync_ScriptSeesItsJob()
    {
        var context = ScriptJobs.Context(new
        {
            source = "[job.id, job.tenant, job.attempt, job.attempts, job.scheduledFor]",
            scheduledFor = "2026-03-29T01:00:00Z",
        });

        var outcome = await _jobs.Handler.ExecuteAsync(context, CancellationToken.None);

        var result = Assert.IsType<JobOutcome.Success>(outcome).ResultJson;
        Assert.Equal($"[\"{context.JobId}\",\"acme\",1,3,\"2026-03-29T01:00:00Z\"]", result);
    }
}
