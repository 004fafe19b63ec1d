using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Cdr;

public sealed partial class CdrRunStore
{
    [LoggerMessage(EventId = 4362, Level = LogLevel.Debug, Message = "Re-rate {JobId} complete, output file {FileId}")]
    private partial void LogCompleted(Guid jobId, Guid fileId);
}
