using Jobs.Rating;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Rating;

/// <summary>
/// Cards of revisions this silo has loaded, shared by every re-rate partition running here, up to a number of
/// entries (<see cref="RatingOptions.CachedEntries"/>); the least recently used go first. Revisions never
/// change, so a cached card is never stale. Concurrent requests for one revision share a single load.
/// </summary>
public sealed class CardCache(IOptions<RatingOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, LinkedListNode<Slot>> _slots = [];
    private readonly LinkedList<Slot> _recent = new();
    private long _entries;

    /// <summary>The card of revision <paramref name="revisionId"/>, loaded by <paramref name="load"/> if not held.</summary>
    public async Task<RateCard> GetAsync(Guid revisionId, int entries, Func<Task<RateCard>> load, CancellationToken cancellationToken)
    {
        Task<RateCard> loading;
        lock (_lock)
        {
            if (_slots.TryGetValue(revisionId, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                loading = node.Value.Card;
            }
            else
            {
                loading = Task.Run(load, CancellationToken.None);
                Add(new Slot(revisionId, entries, loading));
            }
        }

        try
        {
            return await loading.WaitAsync(cancellationToken);
        }
        catch (Exception) when (loading.IsFaulted)
        {
            Forget(revisionId, loading);
            throw;
        }
    }

    private void Add(Slot slot)
    {
        _slots[slot.RevisionId] = _recent.AddFirst(slot);
        _entries += slot.Entries;

        // The newest card stays even when it alone is over the limit: it is about to be used.
        while (_entries > options.Value.CachedEntries && _recent.Last is { } oldest && oldest.Value != slot)
        {
            _recent.RemoveLast();
            _slots.Remove(oldest.Value.RevisionId);
            _entries -= oldest.Value.Entries;
        }
    }

    private void Forget(Guid revisionId, Task<RateCard> failed)
    {
        lock (_lock)
        {
            if (_slots.TryGetValue(revisionId, out var node) && node.Value.Card == failed)
            {
                _recent.Remove(node);
                _slots.Remove(revisionId);
                _entries -= node.Value.Entries;
            }
        }
    }

    private sealed record Slot(Guid RevisionId, int Entries, Task<RateCard> Card);
}
