using System.Globalization;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using Jobs.Handlers;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// The only things a script gets beyond the language's built-ins: <c>console</c>, <c>progress</c> and <c>job</c>.
/// Each is a plain JavaScript object or function made in the script's own realm; no .NET object is handed over,
/// so there is nothing to reflect on.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>console.log</c>, <c>console.info</c> (level info), <c>console.warn</c>, <c>console.error</c>,
/// <c>console.debug</c>: write one line to the job's log; arguments are joined with spaces, strings as they are,
/// other values as JSON.</item>
/// <item><c>progress(percent, message?)</c>, also <c>job.progress</c>: reports progress, 0 to 100.</item>
/// <item><c>job</c>: <c>id</c>, <c>tenant</c>, <c>attempt</c>, <c>attempts</c> and <c>scheduledFor</c> (the
/// occurrence a schedule created the job for, ISO 8601, or null).</item>
/// </list>
/// </remarks>
internal sealed class ScriptGlobals(JsEngine engine, JobContext context, ScriptForgeOptions options, string? scheduledFor)
{
    private const int MaxProgressMessageLength = 200;

    private int _lines;
    private bool _dropping;

    public void Install()
    {
        var console = new JsObject(engine);
        AddLogFunction(console, "log", "info");
        AddLogFunction(console, "info", "info");
        AddLogFunction(console, "warn", "warn");
        AddLogFunction(console, "error", "error");
        AddLogFunction(console, "debug", "debug");
        engine.SetValue("console", console);

        var progress = new ClrFunction(engine, "progress", ReportProgress, 2, PropertyFlag.Configurable);
        engine.SetValue("progress", progress);

        var job = new JsObject(engine);
        job.Set("id", context.JobId.ToString());
        job.Set("tenant", context.Tenant);
        job.Set("attempt", context.Attempt);
        job.Set("attempts", context.Attempts);
        job.Set("scheduledFor", scheduledFor is null ? JsValue.Null : scheduledFor);
        job.Set("progress", progress);
        engine.SetValue("job", job);
    }

    private void AddLogFunction(JsObject console, string name, string level) =>
        console.Set(name, new ClrFunction(engine, name, (_, arguments) => Write(level, arguments), 0, PropertyFlag.Configurable));

    private JsValue Write(string level, JsValue[] arguments)
    {
        if (_lines >= options.MaxLogLines)
        {
            if (!_dropping)
            {
                _dropping = true;
                context.Log($"console: the limit of {options.MaxLogLines:N0} lines is reached; later lines are dropped", "warn");
            }

            return JsValue.Undefined;
        }

        _lines++;
        var line = string.Join(' ', arguments.Select(Display));
        context.Log(Cut(line, options.MaxLogLineLength), level);
        return JsValue.Undefined;
    }

    private JsValue ReportProgress(JsValue thisObject, JsValue[] arguments)
    {
        var percent = arguments.Length > 0 ? arguments[0] : JsValue.Undefined;
        if (!percent.IsNumber() || double.IsNaN(percent.AsNumber()))
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError,
                "progress(percent, message): percent must be a number from 0 to 100");
        }

        var message = arguments.Length > 1 && !arguments[1].IsNull() && !arguments[1].IsUndefined()
            ? Cut(Display(arguments[1]), MaxProgressMessageLength)
            : null;
        context.ReportProgress((int)Math.Round(Math.Clamp(percent.AsNumber(), 0, 100)), message);
        return JsValue.Undefined;
    }

    /// <summary>A value as a log line shows it: strings as they are, errors as "Name: message", the rest as JSON.</summary>
    private string Display(JsValue value)
    {
        if (value.IsString())
        {
            return value.AsString();
        }

        if (value is JsError error)
        {
            return $"{error.Get("name")}: {error.Get("message")}";
        }

        if (value.IsCallable())
        {
            return "[function]";
        }

        if (value is ObjectInstance)
        {
            try
            {
                var json = new JsonSerializer(engine).Serialize(value);
                return json.IsUndefined() ? "undefined" : json.AsString();
            }
            catch (JavaScriptException)
            {
                // A cycle, or a BigInt inside: say what it is rather than fail the script's log call.
                return value.IsArray() ? "[array]" : "[object]";
            }
        }

        return value.IsNumber() ? TypeConverter.ToString(value.AsNumber()) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
    }

    private static string Cut(string text, int maxLength) =>
        text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), $"… (cut at {maxLength:N0} characters)");
}
