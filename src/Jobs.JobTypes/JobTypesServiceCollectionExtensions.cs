using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.JobTypes;

/// <summary>Registers the handlers of the product's job types and their options.</summary>
public static class JobTypesServiceCollectionExtensions
{
    public static IServiceCollection AddJobTypes(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddScriptForge(configuration);
        services.AddSendJobType(configuration);
        services.AddDelayedJobType(configuration);
        services.AddRatingJobTypes(configuration);
        return services;
    }
}
