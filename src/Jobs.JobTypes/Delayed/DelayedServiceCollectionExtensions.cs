using Jobs.Handlers;
using Jobs.JobTypes.Delayed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes;

public static class DelayedServiceCollectionExtensions
{
    /// <summary>
    /// Registers the delayed handler, its options (<c>Jobs:Delayed</c> plus <c>JOBS_HTTP_ALLOWED_HOSTS</c>,
    /// validated at start-up) and its HTTP client, whose connections are checked by <see cref="GuardedConnector"/>.
    /// </summary>
    public static IServiceCollection AddDelayedJobType(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DelayedOptions>()
            .Bind(configuration.GetSection(DelayedOptions.SectionName))
            .PostConfigure(AddAllowedHostsFromEnvironment)
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<DelayedOptions>, DelayedOptionsValidator>());
        services.TryAddSingleton<GuardedConnector>();

        services.AddHttpClient(DelayedHandler.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                // Redirects could lead anywhere, and a proxy would dial hosts the connector never sees.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectCallback = provider.GetRequiredService<GuardedConnector>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)

            // The default handlers log full URLs, whose query strings may carry tokens.
            .RemoveAllLoggers();

        services.AddJobHandler<DelayedHandler>();
        return services;
    }

    private static void AddAllowedHostsFromEnvironment(DelayedOptions options)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DelayedOptions.AllowedHostsVariable);
        if (string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return;
        }

        var entries = fromEnvironment.Split(
            ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        options.AllowedHosts.AddRange(entries);
    }
}
