using System.Diagnostics;
using System.Text.Json;
using Jobs.Handlers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// Runs tenants' JavaScript (<see cref="ScriptForgePayload"/> describes the payload, <see cref="ScriptGlobals"/>
/// what a script can call) in a fresh Jint engine per attempt, sandboxed and held to <see cref="ScriptLimits"/>.
/// The value the function returns (or the script's completion value) becomes the job's result as JSON;
/// <c>undefined</c> becomes <c>null</c>, and a promise is settled first.
/// </summary>
/// <remarks>
/// Failures are permanent, because running the same script on the same input fails the same way: syntax and
/// runtime errors (with line and column), the statement, memory, recursion and call-stack limits, and a result that
/// is not JSON. Exceeding the time limit is the exception and is retried: wall-clock time depends on the machine's
/// load as well as on the script. Cancellation (the job's timeout, a cancel, the silo stopping) ends the script at
/// its next statement and is reported to the engine as <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed partial class ScriptForgeHandler(
    IOptions<ScriptForgeOptions> options, ScriptStore store, ILogger<ScriptForgeHandler> logger) : IJobHandler
{
    private readonly ScriptForgeOptions _options = options.Value;

    public const string TypeId = JobType.ScriptForge;

    public string Type => TypeId;

    public PayloadValidation Validate(JsonElement payload)
    {
        var errors = new PayloadValidation();
        if (ScriptForgePayload.Read(payload, errors) is not { } request)
        {
            return errors;
        }

        CheckCeilings(request.Limits, _options.Limits, errors);
        if (request.Source is { } source && ScriptSyntax.Check(source) is { } syntaxError)
        {
            errors.Add("source", syntaxError);
        }

        return errors;
    }

    public async ValueTask<PayloadValidation> ValidateReferencesAsync(
        JsonElement payload, string tenant, CancellationToken cancellationToken)
    {
        var errors = new PayloadValidation();
        if (ScriptForgePayload.Read(payload, errors) is { ScriptId: { } id } request
            && await store.GetAsync(tenant, id, request.Version, cancellationToken) is null)
        {
            errors.Add("scriptId", request.Version is { } version
                ? $"the tenant has no stored script {id} with a version {version}"
                : $"the tenant has no stored script {id}");
        }

        return errors;
    }

    public IReadOnlyDictionary<string, string>? Summarize(JsonElement payload)
    {
        var request = ScriptForgePayload.Read(payload, new PayloadValidation());
        if (request is null)
        {
            return null;
        }

        var summary = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["script"] = request.ScriptId is { } id ? $"{id} v{request.Version?.ToString() ?? "latest"}" : "inline",
        };
        if (request.Function is { } function)
        {
            summary["function"] = function;
        }

        return summary;
    }

    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var errors = new PayloadValidation();
        if (ScriptForgePayload.Read(context.Payload, errors) is not { } request)
        {
            var problems = errors.ToDictionary().Select(pair => $"{pair.Key} {string.Join("; ", pair.Value)}");
            return JobOutcome.FailedPermanently($"invalid payload: {string.Join(", ", problems)}");
        }

        var program = await LoadAsync(request, context, cancellationToken);
        if (program is null)
        {
            LogScriptNotFound(context.JobId, request.ScriptId, request.Version);
            return JobOutcome.FailedPermanently(
                $"stored script {request.ScriptId} {(request.Version is { } v ? $"version {v}" : "(latest version)")} " +
                "was not found for the job's tenant");
        }

        // Payload limits were checked against the ceilings at creation; the operator may have lowered them since.
        var limits = _options.Limits.LowerTo(request.Limits);
        var started = Stopwatch.GetTimestamp();
        var result = await ScriptRun.RunAsync(program, limits, _options, context, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);

        if (result.Failure is not { } failure)
        {
            LogCompleted(context.JobId, context.Attempt, elapsed.TotalMilliseconds, result.ResultJson!.Length);
            return JobOutcome.Completed(result.ResultJson);
        }

        LogFailed(context.JobId, context.Attempt, failure.Kind.ToString(), elapsed.TotalMilliseconds);
        LogFailureReason(context.JobId, context.Attempt, failure.Reason);
        return failure.Kind == ScriptFailureKind.TimeLimit
            ? JobOutcome.Failed(failure.Reason)
            : JobOutcome.FailedPermanently(failure.Reason);
    }

    private async Task<ScriptProgram?> LoadAsync(ScriptForgePayload request, JobContext context, CancellationToken cancellationToken)
    {
        if (request.Source is { } source)
        {
            return new ScriptProgram(source, "script", request.Function, request.ArgumentsJson, request.ScheduledFor);
        }

        var stored = await store.GetAsync(context.Tenant, request.ScriptId!.Value, request.Version, cancellationToken);
        return stored is null
            ? null
            : new ScriptProgram(stored.Source, $"{stored.Name}@{stored.Version}", request.Function, request.ArgumentsJson,
                request.ScheduledFor);
    }

    private static void CheckCeilings(ScriptLimitRequest? request, ScriptLimits ceiling, PayloadValidation errors)
    {
        if (request is null)
        {
            return;
        }

        CheckCeiling(errors, "timeoutMs", request.TimeoutMs, (long)ceiling.Timeout.TotalMilliseconds);
        CheckCeiling(errors, "maxStatements", request.MaxStatements, ceiling.MaxStatements);
        CheckCeiling(errors, "memoryMb", request.MemoryMb, ceiling.MemoryMegabytes);
        CheckCeiling(errors, "recursionDepth", request.RecursionDepth, ceiling.RecursionDepth);
    }

    private static void CheckCeiling(PayloadValidation errors, string name, int? requested, long ceiling)
    {
        if (requested > ceiling)
        {
            errors.Add($"limits.{name}", $"must be at most {ceiling:N0}, the operator's limit; a job can lower a limit, not raise it");
        }
    }
}
