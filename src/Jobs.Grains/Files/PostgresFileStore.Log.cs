using Microsoft.Extensions.Logging;

namespace Jobs.Files;

public sealed partial class PostgresFileStore
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Information,
        Message = "Stored file {FileId} for tenant {Tenant}: {Length} bytes")]
    private partial void LogSaved(Guid fileId, string tenant, long length);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Debug,
        Message = "Opened file {FileId} for reading: {Length} bytes")]
    private partial void LogOpened(Guid fileId, long length);
}
