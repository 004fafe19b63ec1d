using Microsoft.Extensions.Logging;

namespace Jobs.Queues;

public sealed partial class QueueWorkers
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information,
        Message = "Queue {Type} settings applied on this silo: paused {Paused}, concurrency {Concurrency} (version {Version})")]
    private partial void LogSettingsApplied(string type, bool paused, int concurrency, long version);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning,
        Message = "Could not subscribe to queue {Type} settings; its lane keeps its last settings and retries")]
    private partial void LogSubscribeFailed(Exception exception, string type);
}
