using Jobs.Files;
using Jobs.Handlers;
using Jobs.JobTypes.Card;
using Jobs.JobTypes.Cdr;
using Jobs.JobTypes.Rating;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes;

public static class RatingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>card</c> and <c>cdr</c> handlers, their options (<c>Jobs:Rating</c>, validated at start-up),
    /// the card and re-rate stores, the placement of re-rate partitions and, unless the host registered another, the
    /// PostgreSQL file store. The stores need the <c>NpgsqlDataSource</c> the host registers.
    /// </summary>
    public static IServiceCollection AddRatingJobTypes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RatingOptions>()
            .Bind(configuration.GetSection(RatingOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RatingOptions>, RatingOptionsValidator>());
        services.AddPostgresFileStore();
        services.TryAddSingleton<CardCache>();
        services.TryAddSingleton<CardStore>();
        services.TryAddSingleton<CallStore>();
        services.TryAddSingleton<CdrRunStore>();
        services.TryAddSingleton<CdrPlanner>();
        services.TryAddSingleton<PartitionCoordinator>();
        services.TryAddSingleton<CdrPartitionRunner>();
        services.AddPlacementDirector<CdrPartitionPlacement, CdrPartitionPlacementDirector>();
        services.AddJobHandler<CardHandler>();
        return services.AddJobHandler<CdrHandler>();
    }
}
