using Jobs.Handlers;
using Jobs.Logs;
using Jobs.Retention;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobs.Bulk;

public static class JobOperationsServiceCollectionExtensions
{
    /// <summary>
    /// The silo-side services of operations on many jobs: the durable log, batch deletes, retention, and the
    /// <c>bulk</c> job type. Uses the host's <see cref="Npgsql.NpgsqlDataSource"/>.
    /// </summary>
    public static IServiceCollection AddJobOperations(this IServiceCollection services)
    {
        services.TryAddSingleton<JobLogStore>();
        services.TryAddSingleton<JobDeleter>();
        services.TryAddSingleton<JobRetention>();
        services.TryAddSingleton<BulkCheckpoints>();
        services.AddJobHandler<BulkHandler>();
        return services;
    }
}
