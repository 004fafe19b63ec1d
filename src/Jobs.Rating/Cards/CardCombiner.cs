namespace Jobs.Rating.Cards;

/// <summary>
/// Builds a card from other cards. For every prefix of any card, each source card offers the entry it would rate
/// that prefix with (its own longest-prefix match, so a card with only "44" still covers "4420"), at every moment
/// where any relevant entry starts or ends; the strategy picks or averages, then the profit applies.
/// Blocked entries offer nothing unless every offer is blocked, and then the prefix stays blocked.
/// </summary>
public static class CardCombiner
{
    /// <summary>Combines <paramref name="cards"/>; throws <see cref="ArgumentException"/> for unusable settings.</summary>
    public static RateCard Combine(IReadOnlyList<RateCard> cards, CombineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cards);
        ArgumentNullException.ThrowIfNull(settings);
        Validate(cards, settings);

        var sources = cards.Select(card => new CombineSource(card)).ToArray();
        var prefixes = cards.SelectMany(card => card.Entries.Select(entry => entry.Prefix))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        var offers = new List<RateEntry>(cards.Count);
        var entries = new List<RateEntry>();
        foreach (var prefix in prefixes)
        {
            CombinePrefix(prefix, sources, settings, offers, entries);
        }

        return RateCard.Create(settings.Terms, entries);
    }

    private static void CombinePrefix(
        string prefix,
        CombineSource[] sources,
        CombineSettings settings,
        List<RateEntry> offers,
        List<RateEntry> entries)
    {
        var boundaries = sources.SelectMany(source => source.Boundaries(prefix)).Distinct().Order().ToList();
        RateEntry? open = null;
        for (var segment = 0; segment <= boundaries.Count; segment++)
        {
            DateOnly? from = segment == 0 ? null : boundaries[segment - 1];
            DateOnly? to = segment == boundaries.Count ? null : boundaries[segment];

            offers.Clear();
            offers.AddRange(sources.Select(source => source.Offer(prefix, from)).OfType<RateEntry>());
            var combined = Choose(prefix, offers, settings);
            open = Extend(open, combined, from, to, entries);
        }

        if (open is not null)
        {
            entries.Add(open);
        }
    }

    /// <summary>Continues the open entry when the next segment charges alike; otherwise closes it.</summary>
    private static RateEntry? Extend(RateEntry? open, RateEntry? combined, DateOnly? from, DateOnly? to, List<RateEntry> entries)
    {
        if (open is not null && combined is not null && open.ChargesLike(combined) && open.Name == combined.Name)
        {
            return open with { EffectiveTo = to };
        }

        if (open is not null)
        {
            entries.Add(open);
        }

        return combined is null ? null : combined with { EffectiveFrom = from, EffectiveTo = to };
    }

    private static RateEntry? Choose(string prefix, List<RateEntry> offers, CombineSettings settings)
    {
        var open = offers.Where(offer => !offer.Blocked).ToList();
        if (open.Count == 0)
        {
            return offers.Count == 0 ? null : offers[0] with { Prefix = prefix };
        }

        var chosen = settings.Strategy switch
        {
            CombineStrategy.Cheapest => open.MinBy(offer => offer.Rate)!,
            CombineStrategy.Dearest => open.MaxBy(offer => offer.Rate)!,
            _ => open[0] with { Rate = open.Average(offer => offer.Rate), ConnectionFee = open.Average(offer => offer.ConnectionFee) },
        };

        var profit = settings.Profits.Where(rule => rule.Matches(prefix)).MaxBy(rule => rule.Specificity);
        var rate = profit?.Apply(chosen.Rate) ?? chosen.Rate;
        var rounding = settings.Terms.Rounding;
        return chosen with
        {
            Prefix = prefix,
            Rate = Rounding.Round(rate, settings.RateDecimals, rounding),
            ConnectionFee = Rounding.Round(chosen.ConnectionFee, settings.RateDecimals, rounding),
        };
    }

    private static void Validate(IReadOnlyList<RateCard> cards, CombineSettings settings)
    {
        if (cards.Count == 0)
        {
            throw new ArgumentException("Combining needs at least one card.", nameof(cards));
        }

        if (cards.FirstOrDefault(card => card.Terms.Currency != settings.Terms.Currency) is { } other)
        {
            throw new ArgumentException(
                $"Card '{other.Terms.Name}' is in {other.Terms.Currency}, not {settings.Terms.Currency}.", nameof(cards));
        }

        if (settings.RateDecimals is < 0 or > RateCard.MaxAmountDecimals)
        {
            throw new ArgumentException($"RateDecimals must be 0 to {RateCard.MaxAmountDecimals}.", nameof(settings));
        }

        if (settings.Profits.Select(rule => rule.Problem()).OfType<string>().FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }
    }
}
