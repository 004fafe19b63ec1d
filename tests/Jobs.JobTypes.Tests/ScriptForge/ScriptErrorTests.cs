using Jobs.JobTypes.ScriptForge;

namespace Jobs.JobTypes.Tests.ScriptForge;

public sealed class ScriptErrorTests(ScriptsDatabase database) : IClassFixture<ScriptsDatabase>
{
    private readonly ScriptJobs _jobs = new(new ScriptStore(database.DataSource));

    [Fact]
    public async Task ExecuteAsync_WhenSyntaxError_FailsPermanentlyWithLineAndColumn()
    {
        var payload = new { source = "function main() {\n  const x = 1;\n  return x +;\n}", function = "main" };

        var failure = await _jobs.FailureOfAsync(payload);

        Assert.Equal("SyntaxError: Unexpected token ';' (line 3, column 13)", failure.Reason);
        Assert.True(failure.Permanent);
    }

    [Fact]
    public async Task ExecuteAsync_WhenRuntimeError_FailsWithItsTypeMessageAndLocation()
    {
        var payload = new
        {
            source = "function main(call) {\n  return call.destination.prefix;\n}",
            function = "main",
            arguments = new[] { new { } },
        };

        var failure = await _jobs.FailureOfAsync(payload);

        Assert.Equal("TypeError: Cannot read properties of undefined (reading 'prefix') (line 2, column 27)", failure.Reason);
        Assert.True(failure.Permanent);
    }

    [Fact]
    public async Task ExecuteAsync_WhenScriptThrowsError_FailsWithItsMessageAndLocation()
    {
        var payload = new
        {
            source = "function main() {\n  if (true) {\n    throw new Error('no rate for +999');\n  }\n}",
            function = "main",
        };

        var failure = await _jobs.FailureOfAsync(payload);

        Assert.Equal("Error: no rate for +999 (line 3, column 11)", failure.Reason);
    }

    [Fact]
    public async Task ExecuteAsync_WhenScriptThrowsString_FailsWithIt()
    {
        var failure = await _jobs.FailureOfAsync(new { source = "\n  throw 'plain text';" });

        Assert.Equal("Uncaught plain text (line 2, column 9)", failure.Reason);
    }

    [Fact]
    public async Task ExecuteAsync_WhenAsyncFunctionRejects_FailsWithTheRejection()
    {
        var payload = new { source = "async function main() { throw new RangeError('too far') }", function = "main" };

        var failure = await _jobs.FailureOfAsync(payload);

        Assert.Equal("RangeError: too far (the script's promise was rejected)", failure.Reason);
    }

    [Fact]
    public async Task ExecuteAsync_WhenScriptThrows_TheJsStackGoesToTheJobLog()
    {
        var context = ScriptJobs.Context(new
        {
            source = "function inner() { throw new Error('deep') }\nfunction main() { inner() }",
            function = "main",
        });

        await _jobs.Handler.ExecuteAsync(context, CancellationToken.None);

        var line = Assert.Single(context.DrainLogs());
        Assert.Equal("error", line.Level);
        Assert.StartsWith("Error: deep\n", line.Message, StringComparison.Ordinal);
        Assert.Contains("at inner (script:1:", line.Message, StringComparison.Ordinal);
        Assert.Contains("at main (script:2:", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenSourceHasSyntaxError_RefusesTheJobNamingTheField()
    {
        var payload = Json("""{ "source": "let a = ;" }""");

        var errors = _jobs.Handler.Validate(payload).ToDictionary();

        Assert.Equal(["SyntaxError: Unexpected token ';' (line 1, column 9)"], errors["payload.source"]);
    }

    [Theory]
    [InlineData("""{}""", "payload.source", "either 'source' (the script) or 'scriptId' (a stored script) is required")]
    [InlineData("""[]""", "payload", "must be a JSON object")]
    [InlineData("""{ "source": "" }""", "payload.source", "must be a non-empty string holding the script")]
    [InlineData(
        """{ "source": "1", "scriptId": "6f1c0a86-5f7e-4f5b-9a39-0c0f3ad3c1f1" }""",
        "payload.scriptId",
        "give either 'source' or 'scriptId', not both")]
    [InlineData("""{ "scriptId": "nope" }""", "payload.scriptId", "must be the id (a UUID) of a stored script")]
    [InlineData(
        """{ "scriptId": "6f1c0a86-5f7e-4f5b-9a39-0c0f3ad3c1f1", "version": 0 }""",
        "payload.version",
        "must be a whole number from 1, or null for the latest version")]
    [InlineData("""{ "source": "1", "version": 2 }""", "payload.version", "is only used with 'scriptId'")]
    [InlineData(
        """{ "source": "1", "function": "main()" }""",
        "payload.function",
        "must be the name of a global function: a JavaScript identifier of at most 128 characters")]
    [InlineData(
        """{ "source": "1", "arguments": [1] }""",
        "payload.arguments",
        "is only used with 'function': name the function to pass them to")]
    [InlineData(
        """{ "source": "1", "limits": { "timeoutMs": 0 } }""",
        "payload.limits.timeoutMs",
        "must be a whole number greater than zero")]
    [InlineData(
        """{ "source": "1", "limits": { "timeout": 10 } }""",
        "payload.limits.timeout",
        "is not a limit; the limits are timeoutMs, maxStatements, memoryMb, recursionDepth")]
    [InlineData(
        """{ "source": "1", "limits": { "memoryMb": 65 } }""",
        "payload.limits.memoryMb",
        "must be at most 64, the operator's limit; a job can lower a limit, not raise it")]
    [InlineData(
        """{ "source": "1", "limits": { "timeoutMs": 5001 } }""",
        "payload.limits.timeoutMs",
        "must be at most 5,000, the operator's limit; a job can lower a limit, not raise it")]
    public void Validate_WhenPayloadIsWrong_NamesTheField(string payloadJson, string field, string message)
    {
        var errors = _jobs.Handler.Validate(Json(payloadJson)).ToDictionary();

        Assert.Equal([message], errors[field]);
    }

    [Fact]
    public void Validate_WhenPayloadIsRight_AcceptsIt()
    {
        var payload = Json("""
            { "source": "function main(a) { return a }", "function": "main", "arguments": [1],
              "limits": { "timeoutMs": 100, "maxStatements": 1000, "memoryMb": 8, "recursionDepth": 16 }, "note": "extra fields are fine" }
            """);

        var validation = _jobs.Handler.Validate(payload);

        Assert.True(validation.IsValid);
    }

    private static System.Text.Json.JsonElement Json(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
}
