namespace Jobs.Api.Pages;

public static partial class JobsSession
{
    [LoggerMessage(EventId = 5302, Level = LogLevel.Information,
        Message = "A session of tenant {Tenant} ended: its API key is no longer valid")]
    private static partial void LogSessionEnded(ILogger logger, string tenant);
}
