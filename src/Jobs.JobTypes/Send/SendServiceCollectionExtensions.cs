using Jobs.Files;
using Jobs.Handlers;
using Jobs.JobTypes.Send;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes;

public static class SendServiceCollectionExtensions
{
    /// <summary>
    /// Registers the send handler, its options (<c>Jobs:Send</c>, validated at start-up) and, unless the host
    /// registered another, the PostgreSQL file store its attachments come from.
    /// </summary>
    public static IServiceCollection AddSendJobType(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SendOptions>()
            .Bind(configuration.GetSection(SendOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SendOptions>, SendOptionsValidator>());
        services.AddPostgresFileStore();
        services.AddJobHandler<SendHandler>();
        return services;
    }
}
