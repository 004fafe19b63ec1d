using System.Runtime.InteropServices;

namespace Jobs.Rating.Cards;

/// <summary>One source card of a combination, indexed for the questions the combiner asks of it.</summary>
internal sealed class CombineSource
{
    private readonly RateCard _card;
    private readonly Dictionary<string, (int First, int Count)> _byPrefix = new(StringComparer.Ordinal);
    private readonly bool _dated;

    public CombineSource(RateCard card)
    {
        _card = card;
        var entries = card.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            _dated |= entries[i].EffectiveFrom is not null || entries[i].EffectiveTo is not null;
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_byPrefix, entries[i].Prefix, out var exists);
            slot = exists ? (slot.First, slot.Count + 1) : (i, 1);
        }
    }

    /// <summary>The days on which an entry that could rate <paramref name="prefix"/> starts or ends.</summary>
    public IEnumerable<DateOnly> Boundaries(string prefix)
    {
        if (!_dated)
        {
            yield break;
        }

        var lookup = _byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var length = 1; length <= prefix.Length; length++)
        {
            if (!lookup.TryGetValue(prefix.AsSpan(0, length), out var slot))
            {
                continue;
            }

            for (var i = slot.First; i < slot.First + slot.Count; i++)
            {
                var entry = _card.Entries[i];
                if (entry.EffectiveFrom is { } from)
                {
                    yield return from;
                }

                if (entry.EffectiveTo is { } to)
                {
                    yield return to;
                }
            }
        }
    }

    /// <summary>
    /// The entry this card rates <paramref name="prefix"/> with from the start of <paramref name="day"/>
    /// (null: before any date).
    /// </summary>
    public RateEntry? Offer(string prefix, DateOnly? day)
    {
        var at = day?.ToDateTime(TimeOnly.MinValue) ?? DateTime.MinValue;
        var index = _card.Rater.MatchAt(prefix, day is null ? long.MinValue : at.Ticks);
        return index < 0 ? null : _card.Entries[index];
    }
}
