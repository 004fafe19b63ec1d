using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Delayed;

internal sealed partial class HttpActionRunner
{
    [LoggerMessage(EventId = 4210, Level = LogLevel.Debug, Message = "Job {JobId}: sending {Method} to host {Host}")]
    private partial void LogSending(Guid jobId, string method, string host);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Debug, Message = "Job {JobId}: HTTP answer {Status}")]
    private partial void LogAnswered(Guid jobId, int status);
}
