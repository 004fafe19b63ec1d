using Microsoft.Extensions.Logging;

namespace Jobs.Engine;

/// <summary>
/// The job engine's log: status changes at Information, attempt detail at Debug, retries at Warning and final
/// failures at Error. Payloads and results are never logged: they may hold customers' data.
/// </summary>
public sealed partial class JobGrain
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Job {JobId} ({Type}) created for {Tenant}: {Status}, due {DueAt:o}")]
    private partial void LogCreated(Guid jobId, string type, string tenant, string status, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Job {JobId} ({Type}) is due and waits for a worker")]
    private partial void LogDue(Guid jobId, string type);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Job {JobId} ({Type}) completed on attempt {Attempt} in {RunTime}")]
    private partial void LogCompleted(Guid jobId, string type, int attempt, TimeSpan runTime);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Job {JobId} ({Type}) attempt {Attempt} of {Attempts} failed; retrying at {DueAt:o}: {Reason}")]
    private partial void LogRetrying(Guid jobId, string type, int attempt, int attempts, DateTimeOffset dueAt, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Job {JobId} ({Type}) failed after {Attempt} of {Attempts} attempts: {Reason}")]
    private partial void LogFailed(Guid jobId, string type, int attempt, int attempts, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Job {JobId} ({Type}) cancelled")]
    private partial void LogCancelled(Guid jobId, string type);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Job {JobId} ({Type}) promoted: due now")]
    private partial void LogPromoted(Guid jobId, string type);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Job {JobId} ({Type}) retried by hand: waits again with fresh attempts")]
    private partial void LogRetriedByHand(Guid jobId, string type);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Job {JobId} ({Type}) deleted")]
    private partial void LogDeleted(Guid jobId, string type);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Job {JobId} ({Type}) lost attempt {Attempt}: silo {Silo} stopped while it ran")]
    private partial void LogAttemptLost(Guid jobId, string type, int attempt, string? silo);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Job {JobId} ({Type}) attempt {Attempt} interrupted ({Reason}); the job waits again")]
    private partial void LogInterrupted(Guid jobId, string type, int attempt, string reason);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Debug, Message = "Job {JobId} ({Type}) attempt {Attempt} of {Attempts} started, {StartLatency} after it was due")]
    private partial void LogAttemptStarted(Guid jobId, string type, int attempt, int attempts, TimeSpan startLatency);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Debug, Message = "Job {JobId} attempt {Attempt} threw")]
    private partial void LogAttemptThrew(Exception exception, Guid jobId, int attempt);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Debug, Message = "Job {JobId}: the outcome of attempt {Attempt}, already given up, is ignored")]
    private partial void LogLateOutcomeIgnored(Guid jobId, int attempt);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Job {JobId}: its stored state changed under this activation; the activation is dropped")]
    private partial void LogStaleState(Exception exception, Guid jobId);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Error, Message = "Job {JobId}: could not record a transition; the activation is dropped and the job resumes from its stored state")]
    private partial void LogBackgroundFailed(Exception exception, Guid jobId);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Error, Message = "Job {JobId}: no handler for type {Type} on this silo; it keeps waiting")]
    private partial void LogNoHandler(Guid jobId, string type);
}
