using Npgsql;

namespace Jobs.Silo.Hosting;

/// <summary>The PostgreSQL database every silo and client of the cluster shares.</summary>
public static class JobsDatabase
{
    /// <summary>The connection string's name: <c>ConnectionStrings:Jobs</c> (environment: <c>ConnectionStrings__Jobs</c>).</summary>
    public const string ConnectionStringName = "Jobs";

    /// <summary>The ADO.NET invariant name the Orleans providers use to load Npgsql.</summary>
    public const string Invariant = "Npgsql";

    public static string GetConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "No database configured: set ConnectionStrings:Jobs (environment variable ConnectionStrings__Jobs) " +
                "to a PostgreSQL connection string, or start Jobs with scripts/run.sh, which sets it up.");

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "jobs";
        return builder.Build();
    }
}
