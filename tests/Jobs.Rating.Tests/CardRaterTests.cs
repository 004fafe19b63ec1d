using static Jobs.Rating.Tests.Cards;

namespace Jobs.Rating.Tests;

public sealed class CardRaterTests
{
    private static readonly DateTime Noon = new(2026, 3, 1, 12, 0, 0);

    [Theory]
    [InlineData(1, 30, "0.0160")]
    [InlineData(37, 42, "0.0184")]
    [InlineData(61, 66, "0.0232")]
    [InlineData(30, 30, "0.0160")]
    public void Rate_WhenWorkedCheck30By6RoundingUp_BillsAndChargesAsSpecified(int seconds, int billed, string charge)
    {
        var card = Card(4, RoundingMode.Up, Entry("44", 0.0120m, fee: 0.0100m, initial: 30, increment: 6));

        var rating = card.Rater.Rate("447700900123", Noon, seconds);

        Assert.Equal(RatingStatus.Rated, rating.Status);
        Assert.Equal(billed, rating.BilledSeconds);
        Assert.Equal(charge, rating.Charge.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // 10 s at 1/1: rate × 10 / 60. 0.0003 → 0.00005 and 0.0009 → 0.00015 are exact halves at 4 places;
    // 0.0010 → 0.0001666… and 0.0008 → 0.0001333… are not.
    [Theory]
    [InlineData("0.0003", RoundingMode.HalfUp, "0.0001")]
    [InlineData("0.0003", RoundingMode.HalfDown, "0.0000")]
    [InlineData("0.0003", RoundingMode.HalfEven, "0.0000")]
    [InlineData("0.0003", RoundingMode.Up, "0.0001")]
    [InlineData("0.0003", RoundingMode.Down, "0.0000")]
    [InlineData("0.0009", RoundingMode.HalfUp, "0.0002")]
    [InlineData("0.0009", RoundingMode.HalfDown, "0.0001")]
    [InlineData("0.0009", RoundingMode.HalfEven, "0.0002")]
    [InlineData("0.0009", RoundingMode.Up, "0.0002")]
    [InlineData("0.0009", RoundingMode.Down, "0.0001")]
    [InlineData("0.0010", RoundingMode.HalfDown, "0.0002")]
    [InlineData("0.0010", RoundingMode.Down, "0.0001")]
    [InlineData("0.0008", RoundingMode.HalfUp, "0.0001")]
    [InlineData("0.0008", RoundingMode.Up, "0.0002")]
    public void Rate_WhenChargeFallsOnOrNearAHalf_RoundsOnceByMode(string rate, RoundingMode rounding, string expected)
    {
        var card = Card(4, rounding, Entry("1", decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture)));

        var rating = card.Rater.Rate("12015550100", Noon, 10);

        Assert.Equal(expected, rating.Charge.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Rate_WhenRoundingPerCall_DoesNotRoundIntermediateSteps()
    {
        // 0.00005 fee + 0.0003 × 10 / 60 = 0.0001 exactly; rounding fee and usage apart (half-even) would give 0.0000.
        var card = Card(4, RoundingMode.HalfEven, Entry("1", 0.0003m, fee: 0.00005m));

        var rating = card.Rater.Rate("12015550100", Noon, 10);

        Assert.Equal(0.0001m, rating.Charge);
    }

    [Fact]
    public void Rate_WhenPrecisionIsTwo_ChargeHasTwoPlaces()
    {
        var card = Card(2, RoundingMode.HalfUp, Entry("1", 0.50m, initial: 60, increment: 60));

        var rating = card.Rater.Rate("12015550100", Noon, 61);

        Assert.Equal(120, rating.BilledSeconds);
        Assert.Equal("1.00", rating.Charge.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Rate_WhenSeveralPrefixesMatch_UsesTheLongest()
    {
        var card = Card(Entry("44", 0.01m), Entry("447", 0.02m), Entry("4479", 0.03m));

        Assert.Equal("4479", card.Rater.Rate("447912345678", Noon, 60).Entry!.Prefix);
        Assert.Equal("447", card.Rater.Rate("447812345678", Noon, 60).Entry!.Prefix);
        Assert.Equal("44", card.Rater.Rate("442071234567", Noon, 60).Entry!.Prefix);
    }

    [Theory]
    [InlineData("33123456789")]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("x44")]
    public void Rate_WhenNoPrefixMatches_IsUnmatchedWithoutCharge(string number)
    {
        var card = Card(Entry("44", 0.01m), Entry("1201", 0.02m));

        var rating = card.Rater.Rate(number, Noon, 60);

        Assert.Equal(RatingStatus.Unmatched, rating.Status);
        Assert.Null(rating.Entry);
        Assert.Equal(0, rating.BilledSeconds);
        Assert.Equal(0m, rating.Charge);
    }

    [Fact]
    public void Rate_WhenPrefixIsBlocked_IsBlockedWithoutCharge()
    {
        var card = Card(Entry("44", 0.01m), Entry("4470", 0.50m, blocked: true));

        var rating = card.Rater.Rate("447012345678", Noon, 60);

        Assert.Equal(RatingStatus.Blocked, rating.Status);
        Assert.Equal("4470", rating.Entry!.Prefix);
        Assert.Equal(0m, rating.Charge);
    }

    [Fact]
    public void Rate_WhenNoSeconds_IsNotAnsweredAndBillsNothing()
    {
        var card = Card(Entry("44", 0.01m, fee: 0.05m));

        var rating = card.Rater.Rate("447012345678", Noon, 0);

        Assert.Equal(RatingStatus.NotAnswered, rating.Status);
        Assert.Equal(0, rating.BilledSeconds);
        Assert.Equal(0m, rating.Charge);
    }

    [Theory]
    [InlineData("2025-12-31T23:59:59", "0.01")]
    [InlineData("2026-01-01T00:00:00", "0.02")]
    [InlineData("2026-06-30T23:59:59", "0.02")]
    [InlineData("2026-07-01T00:00:00", "0.03")]
    [InlineData("2030-01-01T00:00:00", "0.03")]
    public void Rate_WhenEntriesHaveDateRanges_UsesTheOneInForceAtStart(string start, string expectedRate)
    {
        var card = Card(
            Entry("44", 0.01m, to: new DateOnly(2026, 1, 1)),
            Entry("44", 0.02m, from: new DateOnly(2026, 1, 1), to: new DateOnly(2026, 7, 1)),
            Entry("44", 0.03m, from: new DateOnly(2026, 7, 1)));

        var rating = card.Rater.Rate("447700900123", DateTime.Parse(start, System.Globalization.CultureInfo.InvariantCulture), 60);

        Assert.Equal(decimal.Parse(expectedRate, System.Globalization.CultureInfo.InvariantCulture), rating.Entry!.Rate);
    }

    [Fact]
    public void Rate_WhenLongestPrefixIsNotInForce_FallsBackToShorterPrefix()
    {
        var card = Card(Entry("33", 0.05m), Entry("336", 0.20m, from: new DateOnly(2026, 1, 1), to: new DateOnly(2026, 2, 1)));

        var inside = card.Rater.Rate("33612345678", new DateTime(2026, 1, 15), 60);
        var after = card.Rater.Rate("33612345678", new DateTime(2026, 2, 1), 60);

        Assert.Equal("336", inside.Entry!.Prefix);
        Assert.Equal("33", after.Entry!.Prefix);
    }

    [Fact]
    public void Rate_WhenOnlyFutureEntryExists_IsUnmatched()
    {
        var card = Card(Entry("81", 0.05m, from: new DateOnly(2027, 1, 1)));

        var rating = card.Rater.Rate("81312345678", new DateTime(2026, 12, 31, 23, 59, 59), 60);

        Assert.Equal(RatingStatus.Unmatched, rating.Status);
    }

    [Fact]
    public void Rate_WhenCallIsVeryLongAtHighRate_StaysExact()
    {
        // 99,999.9999 per minute for a year of seconds at 8 places overflows 64-bit intermediates: the 128-bit path
        // gives 99,999.9999 × 31,536,000 / 60 = 52,559,999,947.44 exactly.
        var card = Card(8, RoundingMode.HalfUp, Entry("1", 99_999.9999m));

        var rating = card.Rater.Rate("12015550100", Noon, 31_536_000);

        Assert.Equal(52_559_999_947.44m, rating.Charge);
    }

    [Fact]
    public void Create_WhenEntriesOfOnePrefixOverlap_Throws()
    {
        var overlapping = new[] { Entry("44", 0.01m), Entry("44", 0.02m, from: new DateOnly(2026, 1, 1)) };

        Assert.Throws<ArgumentException>(() => Card(overlapping));
    }

    [Fact]
    public void Entries_WhenCardIsCreated_AreInPrefixThenDateOrder()
    {
        var card = Card(
            Entry("49", 0.01m),
            Entry("44", 0.03m, from: new DateOnly(2026, 7, 1)),
            Entry("1", 0.01m),
            Entry("44", 0.02m, to: new DateOnly(2026, 7, 1)));

        var order = card.Entries.Select(entry => $"{entry.Prefix}:{entry.Rate}");

        Assert.Equal(["1:0.01", "44:0.02", "44:0.03", "49:0.01"], order);
        Assert.Equal(3, card.PrefixCount);
    }
}
