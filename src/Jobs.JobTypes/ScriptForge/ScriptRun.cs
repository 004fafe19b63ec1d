using System.Globalization;
using Acornima.Ast;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Constraints;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;
using Jobs.Handlers;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>What one attempt runs: the script, where it came from, and what to call.</summary>
internal sealed record ScriptProgram(string Source, string SourceName, string? Function, string? ArgumentsJson, string? ScheduledFor);

/// <summary>How a script run ended: the result as JSON text, or a failure.</summary>
internal sealed record ScriptRunResult(string? ResultJson, ScriptFailure? Failure)
{
    public static ScriptRunResult Completed(string json) => new(json, null);

    public static ScriptRunResult Failed(ScriptFailureKind kind, string reason) => new(null, new ScriptFailure(kind, reason));
}

internal sealed record ScriptFailure(ScriptFailureKind Kind, string Reason);

internal enum ScriptFailureKind
{
    Syntax,
    Runtime,
    TimeLimit,
    StatementLimit,
    MemoryLimit,
    RecursionLimit,
    StackLimit,
    Result,
}

/// <summary>
/// One attempt of a script: a fresh engine, sandboxed and limited, on a thread of its own. Nothing is shared
/// between attempts, so whatever a script does to its built-ins (prototype pollution included) ends with it.
/// </summary>
/// <remarks>
/// The sandbox: CLR interop is off (no <c>importNamespace</c>, no <c>System</c>), a module loader refuses every
/// <c>import()</c>, and the only host globals are <see cref="ScriptGlobals"/>' plain JavaScript objects.
/// <c>eval</c> and <c>new Function</c> are allowed: they compile code into the same realm, under the same limits,
/// and reach nothing the script could not.
/// The stack-overflow guard is on, because Jint's recursion limit counts calls of one function definition and so
/// misses recursion through fresh functions (<c>eval</c>, <c>new Function</c>), getters and coercions; without the
/// guard such recursion overflows the native stack and ends the whole process, uncatchably.
/// </remarks>
internal sealed class ScriptRun
{
    private static readonly CancellationToken SettledOnly = new(canceled: true);

    private readonly ScriptProgram _program;
    private readonly ScriptLimits _limits;
    private readonly ScriptForgeOptions _options;
    private readonly JobContext _context;

    private ScriptRun(ScriptProgram program, ScriptLimits limits, ScriptForgeOptions options, JobContext context)
    {
        _program = program;
        _limits = limits;
        _options = options;
        _context = context;
    }

    /// <summary>Runs the program; throws <see cref="OperationCanceledException"/> when the token stops it.</summary>
    public static Task<ScriptRunResult> RunAsync(
        ScriptProgram program, ScriptLimits limits, ScriptForgeOptions options, JobContext context, CancellationToken cancellationToken) =>
        ScriptThread.RunAsync(() => new ScriptRun(program, limits, options, context).Run(cancellationToken));

    private ScriptRunResult Run(CancellationToken cancellationToken)
    {
        Prepared<Script> script;
        try
        {
            script = ScriptSyntax.Prepare(_program.Source, _program.SourceName);
        }
        catch (ScriptSyntaxException exception)
        {
            return ScriptRunResult.Failed(ScriptFailureKind.Syntax, exception.Message);
        }

        var deadline = new OperationDeadlineConstraint();
        var memory = new AttemptMemoryBudget(_limits.MemoryBytes);
        var engine = CreateEngine(deadline, new AttemptStatementBudget(_limits.MaxStatements), memory);
        new ScriptGlobals(engine, _context, _options, _program.ScheduledFor).Install();

        memory.Start();
        deadline.Begin(_limits.Timeout, cancellationToken);
        try
        {
            var value = Execute(engine, script);
            return ToResult(engine, value);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Still inside the deadline: describing a thrown object may run its getters.
            return new ScriptFailures(_limits, _context).Describe(exception);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ScriptRunResult.Failed(ScriptFailureKind.Runtime, "script returned a promise that never settles");
        }
        finally
        {
            deadline.End();
        }
    }

    private JsEngine CreateEngine(Constraint deadline, Constraint statements, Constraint memory) => new(options =>
    {
        options.Interop.Enabled = false;
        options.EnableModules(NoModules.Instance);
        options.Strict = false;
        options.Culture = CultureInfo.InvariantCulture;
        options.TimeZone = TimeZoneInfo.Utc;
        options.LimitRecursion(_limits.RecursionDepth);
        options.LimitMemory(_limits.MemoryBytes);
        options.Constraints.StackOverflowGuard = true;
        options.Constraints.RegexTimeout = _limits.Timeout;
        options.Constraint(deadline);
        options.Constraint(statements);
        options.Constraint(memory);
    });

    private JsValue Execute(JsEngine engine, Prepared<Script> script)
    {
        var completion = engine.Evaluate(script);
        if (_program.Function is not { } name)
        {
            return Settle(engine, completion);
        }

        var function = FindFunction(engine, name);
        if (!function.IsCallable())
        {
            throw new ScriptFunctionException(function.IsUndefined()
                ? $"function '{name}' is not defined by the script"
                : $"'{name}' is not a function");
        }

        return Settle(engine, engine.Call(function, ReadArguments(engine)));
    }

    private static JsValue FindFunction(JsEngine engine, string name)
    {
        var global = engine.GetValue(name);
        if (!global.IsUndefined())
        {
            return global;
        }

        try
        {
            // let, const and class declarations live outside the global object; the name is a checked identifier.
            return engine.Evaluate(name);
        }
        catch (JavaScriptException)
        {
            return JsValue.Undefined;
        }
    }

    private JsValue[] ReadArguments(JsEngine engine)
    {
        if (_program.ArgumentsJson is not { } json)
        {
            return [];
        }

        var arguments = new JsonParser(engine).Parse(json);
        return arguments.IsArray() ? [.. arguments.AsArray()] : [arguments];
    }

    /// <summary>
    /// An async function's promise, settled. Nothing outside the script can resolve a promise later (there are no
    /// timers and no I/O), so one that is still pending once the job queue has run never settles.
    /// </summary>
    private static JsValue Settle(JsEngine engine, JsValue value)
    {
        if (!value.IsPromise())
        {
            return value;
        }

        engine.Advanced.ProcessTasks();
        return value.UnwrapIfPromise(SettledOnly);
    }

    private ScriptRunResult ToResult(JsEngine engine, JsValue value)
    {
        JsValue json;
        try
        {
            json = new JsonSerializer(engine).Serialize(value);
        }
        catch (JavaScriptException exception)
        {
            return ScriptRunResult.Failed(ScriptFailureKind.Result,
                $"script result is not JSON-serializable: {ScriptFailures.Describe(exception.Error, exception.Message)}");
        }

        // undefined (and a function, or a symbol) has no JSON form; the job's result is then null.
        var text = json.IsUndefined() ? "null" : json.AsString();
        if (text.Length > _options.MaxResultLength)
        {
            return ScriptRunResult.Failed(ScriptFailureKind.Result,
                $"script result is {text.Length:N0} characters of JSON; the limit is {_options.MaxResultLength:N0}");
        }

        return ScriptRunResult.Completed(text);
    }
}

/// <summary>The payload's function is missing or not a function.</summary>
internal sealed class ScriptFunctionException(string message) : Exception(message);
