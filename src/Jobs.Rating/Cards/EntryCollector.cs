namespace Jobs.Rating.Cards;

/// <summary>
/// Gathers a deck's entries, merging identical duplicates and refusing conflicting ones. A row is taken whole or
/// not at all, so a rejected row leaves no partial codes behind.
/// </summary>
internal sealed class EntryCollector
{
    private readonly Dictionary<string, int> _firstSlot = new(StringComparer.Ordinal);
    private readonly List<Slot> _slots = [];

    /// <summary>Entries identical to an earlier one, dropped.</summary>
    public long DuplicatesMerged { get; private set; }

    /// <summary>The kept entries, in deck order.</summary>
    public IEnumerable<RateEntry> Entries => _slots.Select(slot => slot.Entry);

    /// <summary>Adds a row's entries; returns the conflict that rejects the row, or null.</summary>
    public string? TryAdd(long line, List<RateEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (Conflict(entry) is { } conflict)
            {
                return conflict;
            }
        }

        foreach (var entry in entries)
        {
            Add(entry, line);
        }

        return null;
    }

    private string? Conflict(RateEntry entry)
    {
        for (var slot = First(entry.Prefix); slot >= 0; slot = _slots[slot].Next)
        {
            var kept = _slots[slot];
            if (!kept.Entry.Overlaps(entry) || IsIdentical(kept.Entry, entry))
            {
                continue;
            }

            var what = kept.Entry.Rate != entry.Rate ? $"rate {kept.Entry.Rate} there, {entry.Rate} here"
                : kept.Entry.ChargesLike(entry) ? "overlapping effective dates"
                : "different fee, increments or blocking";
            return $"prefix {entry.Prefix} conflicts with line {kept.Line} ({what})";
        }

        return null;
    }

    private void Add(RateEntry entry, long line)
    {
        var first = First(entry.Prefix);
        for (var slot = first; slot >= 0; slot = _slots[slot].Next)
        {
            if (IsIdentical(_slots[slot].Entry, entry))
            {
                DuplicatesMerged++;
                return;
            }
        }

        _slots.Add(new Slot(entry, line, first));
        _firstSlot[entry.Prefix] = _slots.Count - 1;
    }

    private int First(string prefix) => _firstSlot.TryGetValue(prefix, out var slot) ? slot : -1;

    private static bool IsIdentical(RateEntry kept, RateEntry entry) =>
        kept.EffectiveFrom == entry.EffectiveFrom && kept.EffectiveTo == entry.EffectiveTo && kept.ChargesLike(entry);

    private readonly record struct Slot(RateEntry Entry, long Line, int Next);
}
