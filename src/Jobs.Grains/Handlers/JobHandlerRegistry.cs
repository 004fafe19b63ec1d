using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobs.Handlers;

/// <summary>The handlers known to this silo, by job type.</summary>
public sealed class JobHandlerRegistry
{
    private readonly Dictionary<string, IJobHandler> _handlers;

    public JobHandlerRegistry(IEnumerable<IJobHandler> handlers)
    {
        _handlers = new Dictionary<string, IJobHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!JobType.IsKnown(handler.Type))
            {
                throw new InvalidOperationException($"Handler {handler.GetType().Name} serves unknown type '{handler.Type}'.");
            }

            if (!_handlers.TryAdd(handler.Type, handler))
            {
                throw new InvalidOperationException($"Two handlers serve type '{handler.Type}'.");
            }
        }
    }

    public bool TryGet(string type, out IJobHandler handler) => _handlers.TryGetValue(type, out handler!);

    public IReadOnlyCollection<string> Types => _handlers.Keys;
}

public static class JobHandlerServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="THandler"/> as the handler of its job type.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services)
        where THandler : class, IJobHandler
    {
        services.TryAddSingleton<JobHandlerRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, THandler>());
        return services;
    }
}
