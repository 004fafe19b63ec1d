using Npgsql;

namespace Jobs.Silo.Hosting;

/// <summary>The PostgreSQL database every silo and client of the cluster shares.</summary>
public static class JobsDatabase
{
    /// <summary>The connection string's name: <c>ConnectionStrings:Jobs</c> (environment: <c>ConnectionStrings__Jobs</c>).</summary>
    public const string ConnectionStringName = "Jobs";

    /// <summary>The ADO.NET invariant name the Orleans providers use to load Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// The configured connection string, with automatic statement preparation turned on and connection reset off
    /// unless it says otherwise: the grain storage and index statements run thousands of times a second.
    /// </summary>
    public static string GetConnectionString(IConfiguration configuration)
    {
        var builder = new NpgsqlConnectionStringBuilder(Configured(configuration));
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        // Nothing here leaves session state behind, so pooled connections need no DISCARD ALL between uses.
        if (!configuration.GetConnectionString(ConnectionStringName)!.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private static string Configured(IConfiguration configuration) =>
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
