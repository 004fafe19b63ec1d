using Jobs.Handlers;
using Jobs.JobTypes.ScriptForge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes;

public static class ScriptForgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>scriptforge</c> handler, its options (<c>Jobs:ScriptForge</c>, validated at start-up),
    /// <see cref="ScriptStore"/> and <see cref="ScriptScheduleIndex"/>, which need the <c>NpgsqlDataSource</c> the host
    /// registers.
    /// </summary>
    public static IServiceCollection AddScriptForge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScriptForgeOptions>()
            .Bind(configuration.GetSection(ScriptForgeOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScriptForgeOptions>, ScriptForgeOptionsValidator>());
        services.TryAddSingleton<ScriptStore>();
        services.TryAddSingleton<ScriptScheduleIndex>();
        services.TryAddSingleton(TimeProvider.System);
        return services.AddJobHandler<ScriptForgeHandler>();
    }
}
