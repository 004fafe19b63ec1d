using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Places a re-rate's partition <c>i</c> on the <c>i</c>-th of the compatible silos (taken in address order, modulo
/// their number), so the partitions of one re-rate spread evenly over every silo of the cluster. Random placement
/// would leave a silo idle now and then; this never does. When a silo dies, its partitions' new activations go to
/// the silos still alive.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("Jobs.CdrPartitionPlacement")]
public sealed class CdrPartitionPlacement : PlacementStrategy
{
    public static CdrPartitionPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="CdrPartitionPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CdrPartitionPlacementAttribute() : PlacementAttribute(CdrPartitionPlacement.Instance);

internal sealed class CdrPartitionPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(silo => silo.ToParsableString(), StringComparer.Ordinal).ToArray();
        var index = ICdrPartitionGrain.IndexOf(target.GrainIdentity.Key.ToString() ?? "");
        return Task.FromResult(silos[Math.Max(index, 0) % silos.Length]);
    }
}
