using Microsoft.Extensions.Logging;

namespace Jobs.Queues;

public sealed partial class QueueGrain
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "Queue {Type} settings changed: paused {Paused}, concurrency {Concurrency} per silo (version {Version})")]
    private partial void LogSettingsChanged(string type, bool paused, int concurrency, long version);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Queue {Type} sweep woke {Count} jobs")]
    private partial void LogSwept(string type, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Queue {Type} retention pass failed; the next sweep tries again")]
    private partial void LogRetentionFailed(Exception exception, string type);
}
