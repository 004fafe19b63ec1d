using Jobs.Silo.Schema;

namespace Jobs.Silo.Hosting;

/// <summary>
/// Applies the database schema before the silo starts: the Orleans providers read their queries from the
/// database when they start, so the schema must be there first. Registered ahead of Orleans for that reason.
/// </summary>
internal sealed class SchemaStartup(SchemaMigrator migrator, JobsReadiness readiness, string connectionString)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await SchemaMigrator.CreateDatabaseIfMissingAsync(connectionString, cancellationToken);
        await migrator.ApplyAsync(cancellationToken);
        readiness.SchemaApplied = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What <c>/health/ready</c> reports: ready once the schema is applied and the silo (or client) has joined.</summary>
public sealed class JobsReadiness
{
    private volatile bool _schemaApplied;
    private volatile bool _joined;

    public bool SchemaApplied
    {
        get => _schemaApplied;
        set => _schemaApplied = value;
    }

    public bool Joined
    {
        get => _joined;
        set => _joined = value;
    }

    public bool IsReady => SchemaApplied && Joined;
}
