using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Card;

public sealed partial class CardHandler
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information,
        Message = "Job {JobId}: card {CardId} revision {Revision} built, {Entries} entries, {Rejected} rows rejected")]
    private partial void LogBuilt(Guid jobId, Guid cardId, int revision, int entries, long rejected);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Job {JobId}: card not built: {Reason}")]
    private partial void LogFailed(Guid jobId, string reason);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Debug,
        Message = "Job {JobId}: an earlier attempt already built card {CardId} revision {Revision}")]
    private partial void LogAlreadyBuilt(Guid jobId, Guid cardId, int revision);
}
