using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Cdr;

public sealed partial class CdrPartitionRunner
{
    [LoggerMessage(EventId = 4341, Level = LogLevel.Debug, Message = "Job {JobId}: partition {Part} started on silo {Silo}")]
    private partial void LogPartitionStarted(Guid jobId, int part, string silo);

    [LoggerMessage(EventId = 4342, Level = LogLevel.Debug,
        Message = "Job {JobId}: partition {Part} finished, {Records} records, total charge {TotalCharge}")]
    private partial void LogPartitionFinished(Guid jobId, int part, long records, string totalCharge);

    [LoggerMessage(EventId = 4343, Level = LogLevel.Debug, Message = "Job {JobId}: partition {Part} was finished already")]
    private partial void LogAlreadyFinished(Guid jobId, int part);
}
