namespace Jobs.Api.Pages;

// Event ids 5100-5119: the jobs page and its sessions. Keys are never logged, nor their hashes.
public static partial class PageEndpoints
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Information,
        Message = "Signed in to the jobs page: {Role} of tenant {Tenant}")]
    private static partial void LogSignedIn(ILogger logger, string role, string tenant);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning,
        Message = "Sign-in to the jobs page refused from {RemoteAddress}: unknown API key")]
    private static partial void LogSignInRefused(ILogger logger, string remoteAddress);
}
