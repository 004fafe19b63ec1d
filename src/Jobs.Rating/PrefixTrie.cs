namespace Jobs.Rating;

/// <summary>
/// A decimal-digit trie over a card's prefixes, in flat arrays so that a lookup walks a few ints and allocates
/// nothing. Each node that ends a prefix points at that prefix's entries, which are contiguous in card order.
/// </summary>
internal sealed class PrefixTrie
{
    private const int Fanout = 10;

    private int[] _children;
    private int[] _firstEntry;
    private int[] _entryCount;
    private int _nodes;

    private PrefixTrie(int capacity)
    {
        _children = new int[capacity * Fanout];
        _firstEntry = new int[capacity];
        _entryCount = new int[capacity];
        _nodes = 1;
    }

    /// <summary>Number of nodes, the root included.</summary>
    public int NodeCount => _nodes;

    /// <summary>Builds the trie of entries sorted in card order.</summary>
    public static PrefixTrie Build(IReadOnlyList<RateEntry> sorted)
    {
        var trie = new PrefixTrie(sorted.Count + (sorted.Count / 4) + 16);
        for (var i = 0; i < sorted.Count; i++)
        {
            var node = trie.Insert(sorted[i].Prefix);
            if (trie._entryCount[node]++ == 0)
            {
                trie._firstEntry[node] = i;
            }
        }

        return trie;
    }

    /// <summary>
    /// The index of the entry for the longest prefix of <paramref name="digits"/> that has an entry in force at
    /// <paramref name="ticks"/>, or -1. A shorter prefix answers when the longer one has no entry in force then.
    /// </summary>
    public int Find(ReadOnlySpan<byte> digits, long ticks, long[] fromTicks, long[] toTicks)
    {
        var best = -1;
        var node = 0;
        foreach (var character in digits)
        {
            var digit = (uint)(character - '0');
            if (digit >= Fanout || (node = _children[(node * Fanout) + (int)digit]) == 0)
            {
                break;
            }

            var count = _entryCount[node];
            if (count != 0)
            {
                best = InForce(_firstEntry[node], count, ticks, fromTicks, toTicks, best);
            }
        }

        return best;
    }

    private static int InForce(int first, int count, long ticks, long[] fromTicks, long[] toTicks, int fallback)
    {
        for (var i = first; i < first + count; i++)
        {
            if (fromTicks[i] <= ticks && ticks < toTicks[i])
            {
                return i;
            }
        }

        return fallback;
    }

    private int Insert(string prefix)
    {
        var node = 0;
        foreach (var character in prefix)
        {
            var slot = (node * Fanout) + (character - '0');
            if (_children[slot] == 0)
            {
                // Allocate first: growing replaces the array, so the store must see the new one.
                var child = NewNode();
                _children[slot] = child;
            }

            node = _children[slot];
        }

        return node;
    }

    private int NewNode()
    {
        if (_nodes == _firstEntry.Length)
        {
            Grow();
        }

        return _nodes++;
    }

    private void Grow()
    {
        var capacity = _firstEntry.Length * 2;
        Array.Resize(ref _children, capacity * Fanout);
        Array.Resize(ref _firstEntry, capacity);
        Array.Resize(ref _entryCount, capacity);
    }
}
