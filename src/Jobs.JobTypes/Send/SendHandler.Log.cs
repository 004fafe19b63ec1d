using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Send;

public sealed partial class SendHandler
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information,
        Message = "Job {JobId}: sent mail {MessageId} to {Accepted} recipients, {Refused} refused")]
    private partial void LogSent(Guid jobId, string messageId, int accepted, int refused);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Job {JobId}: mail not sent (permanent: {Permanent}): {Reason}")]
    private partial void LogFailed(Guid jobId, bool permanent, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Job {JobId}: sending failed")]
    private partial void LogAttemptError(Guid jobId, Exception exception);
}
