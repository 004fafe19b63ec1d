using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.Files;

public static class PostgresFileStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresFileStore"/> as the <see cref="IFileStore"/> unless one is registered already.
    /// It uses the <see cref="NpgsqlDataSource"/> the host registers (before or after this call).
    /// </summary>
    public static IServiceCollection AddPostgresFileStore(this IServiceCollection services)
    {
        services.TryAddSingleton<IFileStore>(provider => new PostgresFileStore(
            provider.GetRequiredService<NpgsqlDataSource>(), provider.GetService<ILogger<PostgresFileStore>>()));
        return services;
    }
}
