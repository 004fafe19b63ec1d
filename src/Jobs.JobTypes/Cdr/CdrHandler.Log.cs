using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Cdr;

public sealed partial class CdrHandler
{
    [LoggerMessage(EventId = 4320, Level = LogLevel.Information,
        Message = "Job {JobId}: re-rated {Records} records, {Rated} rated, total charge {TotalCharge}, in {Partitions} partitions")]
    private partial void LogRerated(Guid jobId, long records, long rated, string totalCharge, int partitions);

    [LoggerMessage(EventId = 4321, Level = LogLevel.Information, Message = "Job {JobId}: re-rate failed: {Reason}")]
    private partial void LogFailed(Guid jobId, string reason);

    [LoggerMessage(EventId = 4322, Level = LogLevel.Debug,
        Message = "Job {JobId}: planned {Partitions} partitions over {Revisions} card revision(s)")]
    private partial void LogPlanned(Guid jobId, int partitions, int revisions);

    [LoggerMessage(EventId = 4323, Level = LogLevel.Debug, Message = "Job {JobId}: an earlier attempt completed the re-rate")]
    private partial void LogAlreadyDone(Guid jobId);
}
