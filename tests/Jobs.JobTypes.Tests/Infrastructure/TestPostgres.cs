namespace Jobs.JobTypes.Tests.Infrastructure;

/// <summary>
/// This project's way to the throwaway PostgreSQL server shared with Jobs.Tests (linked from
/// <c>tests/Jobs.Tests/Infrastructure/PostgresServer.cs</c>), so tests here need no using of that namespace.
/// </summary>
public static class PostgresServer
{
    public static Task<Jobs.Tests.Infrastructure.PostgresServer> GetAsync() => Jobs.Tests.Infrastructure.PostgresServer.GetAsync();
}
