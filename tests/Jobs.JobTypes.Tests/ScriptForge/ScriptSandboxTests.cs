using Jobs.JobTypes.ScriptForge;

namespace Jobs.JobTypes.Tests.ScriptForge;

/// <summary>Escape attempts: each must fail, or find nothing but the script's own realm.</summary>
public sealed class ScriptSandboxTests(ScriptsDatabase database) : IClassFixture<ScriptsDatabase>
{
    private readonly ScriptJobs _jobs = new(new ScriptStore(database.DataSource));

    [Fact]
    public async Task ExecuteAsync_HostAndClrGlobalsDoNotExist()
    {
        const string names = "['importNamespace', 'System', 'clrHelper', 'host', 'require', 'module', 'exports', 'process', " +
            "'fetch', 'XMLHttpRequest', 'WebSocket', 'setTimeout', 'setInterval', 'WebAssembly']";

        var result = await _jobs.ResultOfAsync(new { source = $"{names}.filter(name => typeof globalThis[name] !== 'undefined')" });

        Assert.Equal("[]", result);
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')", "ReferenceError: System is not defined (line 1, column 1)")]
    [InlineData(
        "importNamespace('System.IO').File.ReadAllText('/etc/passwd')",
        "ReferenceError: importNamespace is not defined (line 1, column 1)")]
    [InlineData("this.constructor.constructor('return process')().exit(1)", "ReferenceError: process is not defined")]
    [InlineData("require('fs').readFileSync('/etc/passwd')", "ReferenceError: require is not defined (line 1, column 1)")]
    [InlineData("fetch('http://127.0.0.1/')", "ReferenceError: fetch is not defined (line 1, column 1)")]
    [InlineData("new XMLHttpRequest()", "ReferenceError: XMLHttpRequest is not defined (line 1, column 5)")]
    public async Task ExecuteAsync_WhenScriptReachesForTheHost_ItFails(string source, string reasonStart)
    {
        var failure = await _jobs.FailureOfAsync(new { source });

        Assert.StartsWith(reasonStart, failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_FunctionConstructorReachesOnlyTheSandboxGlobal()
    {
        var payload = new
        {
            source = "const g = this.constructor.constructor('return this')();\n" +
                "[g === globalThis, typeof g.System, typeof g.importNamespace]",
        };

        var result = await _jobs.ResultOfAsync(payload);

        Assert.Equal("[true,\"undefined\",\"undefined\"]", result);
    }

    [Fact]
    public async Task ExecuteAsync_EvalIsAllowedAndStaysInTheSandbox()
    {
        var payload = new { source = "[eval('6 * 7'), eval('typeof importNamespace'), new Function('return typeof System')()]" };

        var result = await _jobs.ResultOfAsync(payload);

        Assert.Equal("[42,\"undefined\",\"undefined\"]", result);
    }

    [Fact]
    public async Task ExecuteAsync_HostObjectsArePlainJavaScriptUnderReflection()
    {
        const string source = """
            [
              Object.getPrototypeOf(console) === Object.prototype,
              Object.getPrototypeOf(job) === Object.prototype,
              Object.getPrototypeOf(console.log) === Function.prototype,
              Object.getPrototypeOf(progress) === Function.prototype,
              console.log.constructor === Function,
              typeof console.log.GetType,
              typeof job.GetType,
              Object.getOwnPropertyNames(console).sort().join(','),
              Object.getOwnPropertyNames(job).sort().join(','),
            ]
            """;

        var result = await _jobs.ResultOfAsync(new { source });

        Assert.Equal(
            "[true,true,true,true,true,\"undefined\",\"undefined\",\"debug,error,info,log,warn\"," +
            "\"attempt,attempts,id,progress,scheduledFor,tenant\"]",
            result);
    }

    [Fact]
    public async Task ExecuteAsync_PrototypePollutionEndsWithItsScript()
    {
        const string polluter = """
            Object.prototype.polluted = 'yes';
            Array.prototype.map = null;
            JSON.stringify = () => '"forged"';
            Object.prototype.toJSON = undefined;
            ({ ok: true })
            """;

        var polluted = await _jobs.ResultOfAsync(new { source = polluter });
        var next = await _jobs.ResultOfAsync(new { source = "[typeof ({}).polluted, typeof [].map, JSON.stringify({ a: 1 })]" });

        Assert.Equal("{\"ok\":true}", polluted);
        Assert.Equal("[\"undefined\",\"function\",\"{\\\"a\\\":1}\"]", next);
    }

    [Fact]
    public async Task ExecuteAsync_WhenScriptImportsAModule_ItFails()
    {
        var payload = new { source = "async function main() { return await import('fs') }", function = "main" };

        var failure = await _jobs.FailureOfAsync(payload);

        Assert.Equal("import('fs') failed: scripts cannot import modules", failure.Reason);
        Assert.True(failure.Permanent);
    }
}
