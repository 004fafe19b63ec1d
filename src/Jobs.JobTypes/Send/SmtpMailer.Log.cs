using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Send;

internal sealed partial class SmtpMailer
{
    [LoggerMessage(EventId = 4110, Level = LogLevel.Debug,
        Message = "Job {JobId}: connecting to SMTP server {Host}:{Port} with TLS mode {Tls}")]
    private partial void LogConnecting(Guid jobId, string host, int port, string tls);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Debug,
        Message = "Job {JobId}: QUIT failed after the message was accepted: {Error}")]
    private partial void LogQuitFailed(Guid jobId, string error);
}
