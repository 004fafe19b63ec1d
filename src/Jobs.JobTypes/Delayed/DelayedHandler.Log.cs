using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Delayed;

public sealed partial class DelayedHandler
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Job {JobId}: delayed action done")]
    private partial void LogDone(Guid jobId);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information,
        Message = "Job {JobId}: delayed action failed (permanent: {Permanent}): {Reason}")]
    private partial void LogFailed(Guid jobId, bool permanent, string reason);
}
