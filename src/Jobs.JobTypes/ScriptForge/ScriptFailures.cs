using System.Text.RegularExpressions;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Modules;
using Jobs.Handlers;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>Turns what a script run threw into the reason people read: what happened, and where.</summary>
internal sealed partial class ScriptFailures(ScriptLimits limits, JobContext context)
{
    private const string StackOverflowMessage = "Maximum call stack size exceeded";

    public ScriptRunResult Describe(Exception exception) => exception switch
    {
        TimeoutException or RegexMatchTimeoutException => Limit(ScriptFailureKind.TimeLimit, ScriptLimit.Time),
        StatementsCountOverflowException => Limit(ScriptFailureKind.StatementLimit, ScriptLimit.Statements),
        MemoryLimitExceededException => Limit(ScriptFailureKind.MemoryLimit, ScriptLimit.Memory),
        RecursionDepthOverflowException => Limit(ScriptFailureKind.RecursionLimit, ScriptLimit.Recursion),
        JavaScriptException thrown => Thrown(thrown),
        PromiseRejectedException rejected => ScriptRunResult.Failed(ScriptFailureKind.Runtime,
            $"{Describe(rejected.RejectedValue, rejected.Message)} (the script's promise was rejected)"),
        ModuleResolutionException import => ScriptRunResult.Failed(ScriptFailureKind.Runtime,
            $"import('{import.Specifier}') failed: scripts cannot import modules"),
        ScriptFunctionException missing => ScriptRunResult.Failed(ScriptFailureKind.Runtime, missing.Message),
        JintException other => ScriptRunResult.Failed(ScriptFailureKind.Runtime, other.Message),
        _ when exception.InnerException is RegexMatchTimeoutException => Limit(ScriptFailureKind.TimeLimit, ScriptLimit.Time),
        _ => throw new InvalidOperationException($"Script engine failure: {exception.Message}", exception),
    };

    /// <summary>A thrown value as "Name: message" for errors, "Uncaught value" for anything else.</summary>
    public static string Describe(JsValue thrown, string fallback)
    {
        try
        {
            if (thrown is ObjectInstance error && error.Get("name") is JsString name && error.Get("message") is JsString message)
            {
                return $"{name}: {WithoutLocation(message.ToString())}";
            }

            return thrown.IsString() ? $"Uncaught {thrown.AsString()}" : $"Uncaught {fallback}";
        }
        catch (Exception exception) when (exception is JintException or TimeoutException or OperationCanceledException)
        {
            // Its getters threw or ran out of budget; the engine's own text will do.
            return $"Uncaught {fallback}";
        }
    }

    private ScriptRunResult Limit(ScriptFailureKind kind, ScriptLimit limit) =>
        ScriptRunResult.Failed(kind, limits.Exceeded(limit));

    private ScriptRunResult Thrown(JavaScriptException exception)
    {
        var what = Describe(exception.Error, exception.Message);
        var location = exception.Location.Start.Line > 0
            ? $" (line {exception.Location.Start.Line}, column {exception.Location.Start.Column + 1})"
            : "";
        if (!string.IsNullOrWhiteSpace(exception.JavaScriptStackTrace))
        {
            context.Log($"{what}\n{exception.JavaScriptStackTrace.TrimEnd()}", "error");
        }

        // The stack-overflow guard speaks as a RangeError; it is a limit, whatever the script had a chance to catch.
        if (exception.Error is ObjectInstance error && error.Get("name") is JsString { } name && name.ToString() == "RangeError"
            && exception.Message == StackOverflowMessage)
        {
            return ScriptRunResult.Failed(ScriptFailureKind.StackLimit,
                $"script exceeded the maximum call stack size: {what}{location}");
        }

        return ScriptRunResult.Failed(ScriptFailureKind.Runtime, what + location);
    }

    /// <summary>Jint puts "(source:line:column)" at the end of some messages; the reason gives the place its own way.</summary>
    private static string WithoutLocation(string message) => TrailingLocation().Replace(message, "");

    [GeneratedRegex(@"\s\([^()]*:\d+:\d+\)$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingLocation();
}
