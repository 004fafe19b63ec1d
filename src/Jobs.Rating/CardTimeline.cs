namespace Jobs.Rating;

/// <summary>
/// One revision of a card in a <see cref="CardTimeline"/>: in force from <paramref name="InForceFrom"/> until the
/// next revision's start. The card is loaded on first use, so a timeline of many revisions costs memory only for
/// those the calls need.
/// </summary>
/// <param name="InForceFrom">When the revision came into force, in the wall-clock time calls are written in.</param>
/// <param name="Precision">The revision's charge precision, known before its card is loaded.</param>
/// <param name="Load">Gives the revision's card; called at most once, from any thread.</param>
public sealed record CardPeriod(DateTime InForceFrom, int Precision, Func<RateCard> Load);

/// <summary>
/// The revisions of one card in the order they came into force, so that each call is rated by the revision in force
/// at its start. A call that started before the first revision came into force is rated by the first: the card did
/// not exist yet, and its first revision is the closest answer there is.
/// </summary>
public sealed class CardTimeline
{
    private readonly long[] _fromTicks;
    private readonly int[] _precisions;
    private readonly Lazy<RateCard>[] _cards;

    private CardTimeline(long[] fromTicks, int[] precisions, Lazy<RateCard>[] cards)
    {
        _fromTicks = fromTicks;
        _precisions = precisions;
        _cards = cards;
        Precision = precisions.Max();
    }

    /// <summary>How many revisions.</summary>
    public int Count => _cards.Length;

    /// <summary>The largest precision of the revisions: the scale totals are kept in.</summary>
    public int Precision { get; }

    /// <summary>A timeline of one card, in force at every moment.</summary>
    public static CardTimeline Of(RateCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new CardTimeline([long.MinValue], [card.Terms.Precision], [new Lazy<RateCard>(card)]);
    }

    /// <summary>
    /// A timeline of revisions given in the order they came into force; throws when it is empty, out of order, or
    /// a precision is outside 0 to <see cref="CardTerms.MaxPrecision"/>.
    /// </summary>
    public static CardTimeline Create(IReadOnlyList<CardPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        if (periods.Count == 0)
        {
            throw new ArgumentException("A timeline needs at least one revision.", nameof(periods));
        }

        var from = new long[periods.Count];
        var precisions = new int[periods.Count];
        var cards = new Lazy<RateCard>[periods.Count];
        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            if (i > 0 && period.InForceFrom < periods[i - 1].InForceFrom)
            {
                throw new ArgumentException($"Revision {i} comes into force before revision {i - 1}.", nameof(periods));
            }

            ArgumentOutOfRangeException.ThrowIfNegative(period.Precision);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(period.Precision, CardTerms.MaxPrecision);
            from[i] = period.InForceFrom.Ticks;
            precisions[i] = period.Precision;
            cards[i] = new Lazy<RateCard>(() => Checked(period), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        return new CardTimeline(from, precisions, cards);
    }

    /// <summary>The position of the revision in force at <paramref name="start"/> (the first one before any).</summary>
    public int IndexAt(DateTime start)
    {
        if (_fromTicks.Length == 1)
        {
            return 0;
        }

        var found = Array.BinarySearch(_fromTicks, start.Ticks);

        // Equal starts: the later revision wins, as it came into force last.
        if (found >= 0)
        {
            while (found + 1 < _fromTicks.Length && _fromTicks[found + 1] == start.Ticks)
            {
                found++;
            }

            return found;
        }

        return Math.Max(0, ~found - 1);
    }

    /// <summary>The card of the revision at <paramref name="index"/>, loading it on first use.</summary>
    public RateCard CardAt(int index) => _cards[index].Value;

    /// <summary>The precision of the revision at <paramref name="index"/>, without loading it.</summary>
    public int PrecisionAt(int index) => _precisions[index];

    private static RateCard Checked(CardPeriod period)
    {
        var card = period.Load() ?? throw new InvalidOperationException("A revision's loader returned no card.");
        if (card.Terms.Precision != period.Precision)
        {
            throw new InvalidOperationException(
                $"Card '{card.Terms.Name}' has precision {card.Terms.Precision}, not {period.Precision} as its revision said.");
        }

        return card;
    }
}
