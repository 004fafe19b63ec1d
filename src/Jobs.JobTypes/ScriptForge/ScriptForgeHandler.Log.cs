using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.ScriptForge;

public sealed partial class ScriptForgeHandler
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug,
        Message = "Script of job {JobId} attempt {Attempt} completed in {ElapsedMs:0} ms with {ResultLength} characters of result")]
    private partial void LogCompleted(Guid jobId, int attempt, double elapsedMs, int resultLength);

    // The reason quotes the script's own messages, which may hold anything: it is logged at Debug only.
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Script of job {JobId} attempt {Attempt} failed after {ElapsedMs:0} ms: {FailureKind}")]
    private partial void LogFailed(Guid jobId, int attempt, string failureKind, double elapsedMs);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Script of job {JobId} attempt {Attempt} failed: {Reason}")]
    private partial void LogFailureReason(Guid jobId, int attempt, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning,
        Message = "Job {JobId} names stored script {ScriptId} version {Version}, which its tenant does not have")]
    private partial void LogScriptNotFound(Guid jobId, Guid? scriptId, int? version);
}
