namespace Jobs.Rating;

/// <summary>
/// An immutable rate card: its terms and its entries in prefix order (then by effective date), ready to be
/// bulk-written or compiled into a <see cref="CardRater"/>.
/// </summary>
public sealed class RateCard
{
    /// <summary>The largest rate or connection fee accepted, so that exact charges fit 64-bit arithmetic.</summary>
    public const decimal MaxAmount = 1_000_000m;

    /// <summary>The most decimal places a rate or fee may have (trailing zeros aside).</summary>
    public const int MaxAmountDecimals = 10;

    private readonly RateEntry[] _entries;
    private readonly Lazy<CardRater> _rater;

    private RateCard(CardTerms terms, RateEntry[] entries, int prefixCount)
    {
        Terms = terms;
        _entries = entries;
        PrefixCount = prefixCount;
        _rater = new Lazy<CardRater>(() => new CardRater(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Name, currency, precision and rounding.</summary>
    public CardTerms Terms { get; }

    /// <summary>Every entry, ordered by prefix (ordinal) and then by effective date, open start first.</summary>
    public IReadOnlyList<RateEntry> Entries => _entries;

    /// <summary>How many distinct prefixes the card has.</summary>
    public int PrefixCount { get; }

    /// <summary>The compiled matcher and charger, built on first use and shared by all threads.</summary>
    public CardRater Rater => _rater.Value;

    /// <summary>
    /// Creates a card from entries in any order. Throws <see cref="ArgumentException"/> when an entry is invalid or
    /// two entries of one prefix are in force on a common day.
    /// </summary>
    public static RateCard Create(CardTerms terms, IEnumerable<RateEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfNegative(terms.Precision);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(terms.Precision, CardTerms.MaxPrecision);

        var sorted = entries.ToArray();
        foreach (var entry in sorted)
        {
            Validate(entry);
        }

        // Decks usually come sorted; checking first saves the sort of a large card.
        if (!IsSorted(sorted))
        {
            Array.Sort(sorted, CompareEntries);
        }

        return new RateCard(terms, sorted, CountPrefixesRejectingOverlaps(sorted));
    }

    /// <summary>The entry a call to <paramref name="number"/> (E.164 digits) starting at <paramref name="at"/> is rated by.</summary>
    public RateEntry? Find(string number, DateTime at)
    {
        var index = Rater.Match(number, at);
        return index < 0 ? null : _entries[index];
    }

    /// <summary>Entries in card order: by prefix, then by effective date.</summary>
    internal static int CompareEntries(RateEntry left, RateEntry right)
    {
        var byPrefix = string.CompareOrdinal(left.Prefix, right.Prefix);
        return byPrefix != 0 ? byPrefix : left.FromTicks.CompareTo(right.FromTicks);
    }

    private static bool IsSorted(RateEntry[] entries)
    {
        for (var i = 1; i < entries.Length; i++)
        {
            if (CompareEntries(entries[i - 1], entries[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why an entry cannot be on a card, or null when it can.</summary>
    internal static string? Problem(RateEntry entry)
    {
        if (entry.Prefix.Length == 0 || entry.Prefix.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return $"prefix '{entry.Prefix}' is not digits";
        }

        if (entry.InitialIncrement <= 0 || entry.Increment <= 0)
        {
            return $"increments {entry.InitialIncrement}/{entry.Increment} are not positive";
        }

        if (entry.EffectiveTo <= entry.EffectiveFrom)
        {
            return $"end date {entry.EffectiveTo:yyyy-MM-dd} is not after effective date {entry.EffectiveFrom:yyyy-MM-dd}";
        }

        return AmountProblem("rate", entry.Rate) ?? AmountProblem("connection fee", entry.ConnectionFee);
    }

    private static string? AmountProblem(string what, decimal amount)
    {
        if (amount < 0 || amount > MaxAmount)
        {
            return $"{what} {amount} is outside 0 to {MaxAmount}";
        }

        return ExactDecimal.Scale(amount) > MaxAmountDecimals
            ? $"{what} {amount} has more than {MaxAmountDecimals} decimal places"
            : null;
    }

    private static void Validate(RateEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Problem(entry) is { } problem)
        {
            throw new ArgumentException($"Entry for prefix {entry.Prefix}: {problem}.", nameof(entry));
        }
    }

    private static int CountPrefixesRejectingOverlaps(RateEntry[] sorted)
    {
        var prefixes = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i].Prefix != sorted[i - 1].Prefix)
            {
                prefixes++;
                continue;
            }

            // Sorted by start, so an overlap of a prefix's entries always shows between neighbours.
            if (sorted[i - 1].Overlaps(sorted[i]))
            {
                throw new ArgumentException($"Entries for prefix {sorted[i].Prefix} overlap in time.", nameof(sorted));
            }
        }

        return prefixes;
    }
}
