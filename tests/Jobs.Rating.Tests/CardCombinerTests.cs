using Jobs.Rating.Cards;
using static Jobs.Rating.Tests.Cards;

namespace Jobs.Rating.Tests;

public sealed class CardCombinerTests
{
    private static readonly RateCard A = Card(
        Entry("44", 0.010m, initial: 60, increment: 60, name: "UK A"),
        Entry("4420", 0.020m, name: "London A"),
        Entry("33", 0.05m, name: "France A"));

    private static readonly RateCard B = Card(
        Entry("44", 0.012m, name: "UK B"),
        Entry("4420", 0.5m, blocked: true, name: "London B"),
        Entry("49", 0.03m, name: "Germany B"));

    private static readonly RateCard C = Card(Entry("44", 0.008m, fee: 0.01m, name: "UK C"));

    [Fact]
    public void Combine_WhenCheapest_TakesLowestRateSkippingBlocked()
    {
        var card = CardCombiner.Combine([A, B], Settings(CombineStrategy.Cheapest));

        Assert.Equal(["33:0.05:France A", "44:0.010:UK A", "4420:0.020:London A", "49:0.03:Germany B"], Describe(card));
        Assert.Equal((60, 60), (card.Entries[1].InitialIncrement, card.Entries[1].Increment));
    }

    [Fact]
    public void Combine_WhenDearest_TakesHighestRateSkippingBlocked()
    {
        var card = CardCombiner.Combine([A, B], Settings(CombineStrategy.Dearest));

        Assert.Equal(["33:0.05:France A", "44:0.012:UK B", "4420:0.020:London A", "49:0.03:Germany B"], Describe(card));
    }

    [Fact]
    public void Combine_WhenAverage_AveragesRatesAndFeesOfCardsCoveringPrefix()
    {
        var card = CardCombiner.Combine([A, B, C], Settings(CombineStrategy.Average));

        // 44: (0.010 + 0.012 + 0.008) / 3 = 0.010, fees (0 + 0 + 0.01) / 3 = 0.0033333… → 0.003333 at 6 places.
        var uk = card.Entries.Single(entry => entry.Prefix == "44");
        Assert.Equal((0.010m, 0.003333m, "UK A"), (uk.Rate, uk.ConnectionFee, uk.Name));
    }

    [Fact]
    public void Combine_WhenAverageIsNotExact_RoundsToRateDecimalsWithCardRounding()
    {
        var d = Card(Entry("44", 0.0125m));
        var settings = Settings(CombineStrategy.Average) with { Terms = new CardTerms("avg", "USD", 4, RoundingMode.Down) };

        var card = CardCombiner.Combine([A, d, C], settings);

        // (0.010 + 0.0125 + 0.008) / 3 = 0.0101666… rounded down to 6 places.
        Assert.Equal(0.010166m, card.Entries.Single(entry => entry.Prefix == "44").Rate);
    }

    [Fact]
    public void Combine_WhenCardLacksLongerPrefix_OffersItsShorterMatch()
    {
        var card = CardCombiner.Combine([A, C], Settings(CombineStrategy.Cheapest));

        Assert.Equal("4420:0.008:UK C", Describe(card).Single(text => text.StartsWith("4420", StringComparison.Ordinal)));
    }

    [Fact]
    public void Combine_WhenEveryOfferIsBlocked_StaysBlocked()
    {
        var card = CardCombiner.Combine([B], Settings(CombineStrategy.Cheapest));

        Assert.True(card.Entries.Single(entry => entry.Prefix == "4420").Blocked);
    }

    [Fact]
    public void Combine_WhenProfitsGiven_MostSpecificRuleApplies()
    {
        var settings = Settings(CombineStrategy.Cheapest) with
        {
            Profits =
            [
                new ProfitRule("44*", ProfitKind.Percent, 10m),
                new ProfitRule("4420", ProfitKind.Absolute, 0.005m),
                new ProfitRule("*", ProfitKind.Multiplier, 2m),
            ],
        };

        var card = CardCombiner.Combine([A, B], settings);

        // 33 × 2 = 0.10; 44 + 10 % = 0.011; 4420 + 0.005 = 0.025; 49 × 2 = 0.06.
        Assert.Equal([0.10m, 0.011m, 0.025m, 0.06m], card.Entries.Select(entry => entry.Rate));
    }

    [Fact]
    public void Combine_WhenCardsChangeRatesOnDates_SplitsAtEachDate()
    {
        var dated = Card(Entry("44", 0.010m, to: new DateOnly(2026, 7, 1)), Entry("44", 0.030m, from: new DateOnly(2026, 7, 1)));
        var flat = Card(Entry("44", 0.020m));

        var card = CardCombiner.Combine([dated, flat], Settings(CombineStrategy.Cheapest));

        Assert.Equal(
            [(0.010m, (DateOnly?)null, (DateOnly?)new DateOnly(2026, 7, 1)), (0.020m, new DateOnly(2026, 7, 1), null)],
            card.Entries.Select(entry => (entry.Rate, entry.EffectiveFrom, entry.EffectiveTo)));
    }

    [Fact]
    public void Combine_WhenAdjacentPeriodsChargeAlike_MergesThem()
    {
        var split = Card(Entry("44", 0.010m, to: new DateOnly(2026, 3, 1)), Entry("44", 0.010m, from: new DateOnly(2026, 3, 1)));

        var card = CardCombiner.Combine([split, Card(Entry("44", 0.05m))], Settings(CombineStrategy.Cheapest));

        var entry = Assert.Single(card.Entries);
        Assert.Equal((0.010m, (DateOnly?)null, (DateOnly?)null), (entry.Rate, entry.EffectiveFrom, entry.EffectiveTo));
    }

    [Fact]
    public void Combine_WhenCurrenciesDiffer_Throws()
    {
        var euros = RateCard.Create(new CardTerms("eur", "EUR"), [Entry("44", 0.01m)]);

        Assert.Throws<ArgumentException>(() => CardCombiner.Combine([A, euros], Settings(CombineStrategy.Cheapest)));
    }

    [Theory]
    [InlineData("4*4")]
    [InlineData("^44.*")]
    [InlineData("")]
    public void Combine_WhenProfitPatternIsNotAPrefixGlob_Throws(string pattern)
    {
        var settings = Settings(CombineStrategy.Cheapest) with { Profits = [new ProfitRule(pattern, ProfitKind.Absolute, 0.01m)] };

        Assert.Throws<ArgumentException>(() => CardCombiner.Combine([A], settings));
    }

    private static CombineSettings Settings(CombineStrategy strategy) =>
        new() { Terms = new CardTerms("combined", "USD"), Strategy = strategy };

    private static string[] Describe(RateCard card) =>
        [.. card.Entries.Select(entry => $"{entry.Prefix}:{entry.Rate}:{entry.Name}")];
}
