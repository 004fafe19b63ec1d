using Jobs.Rating;

namespace Jobs.Bench.Rating;

/// <summary>
/// The card the bench rates with: the real US deck when present, plus made-up rates for the countries the real
/// dialed numbers go to (country code and the next digits), so most calls match as they would in production.
/// </summary>
internal static class BenchCard
{
    public static RateCard Create(RateCard? deck, string[] numbers)
    {
        var entries = deck?.Entries.ToList() ?? [];
        var random = new Random(11);
        var abroad = numbers.Where(number => !number.StartsWith('1'))
            .SelectMany(number => new[] { number[..2], number[..Math.Min(4, number.Length)] })
            .Distinct(StringComparer.Ordinal);

        foreach (var prefix in abroad)
        {
            var rate = Math.Round(0.005m + (random.Next(2000) / 10_000m), 4);
            entries.Add(new RateEntry(prefix, "bench " + prefix, rate, 0m, 30, 6, null, null, false));
        }

        // The real deck covers few of the real dialed US exchanges (205 and toll-free are missing), so a
        // catch-all for country code 1 rates the rest, as a production card would.
        entries.Add(new RateEntry("1", "US other", 0.0100m, 0m, 6, 6, null, null, false));

        return RateCard.Create(new CardTerms("bench", "USD", 4, RoundingMode.HalfUp), entries);
    }
}
