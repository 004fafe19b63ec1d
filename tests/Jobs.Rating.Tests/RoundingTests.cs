namespace Jobs.Rating.Tests;

public sealed class RoundingTests
{
    // Quotients worked by hand: 5/10 = 0.5, 15/10 = 1.5, 25/10 = 2.5 (exact halves), 16/10 = 1.6, 14/10 = 1.4.
    [Theory]
    [InlineData(5, 10, RoundingMode.HalfUp, 1)]
    [InlineData(5, 10, RoundingMode.HalfDown, 0)]
    [InlineData(5, 10, RoundingMode.HalfEven, 0)]
    [InlineData(5, 10, RoundingMode.Up, 1)]
    [InlineData(5, 10, RoundingMode.Down, 0)]
    [InlineData(15, 10, RoundingMode.HalfUp, 2)]
    [InlineData(15, 10, RoundingMode.HalfDown, 1)]
    [InlineData(15, 10, RoundingMode.HalfEven, 2)]
    [InlineData(25, 10, RoundingMode.HalfEven, 2)]
    [InlineData(25, 10, RoundingMode.HalfDown, 2)]
    [InlineData(16, 10, RoundingMode.HalfDown, 2)]
    [InlineData(16, 10, RoundingMode.Down, 1)]
    [InlineData(14, 10, RoundingMode.HalfUp, 1)]
    [InlineData(14, 10, RoundingMode.Up, 2)]
    [InlineData(20, 10, RoundingMode.Up, 2)]
    [InlineData(0, 10, RoundingMode.Up, 0)]
    public void Divide_WhenQuotientHasRemainder_RoundsByMode(long numerator, long denominator, RoundingMode mode, long expected)
    {
        var quotient = Rounding.Divide(numerator, denominator, mode);

        Assert.Equal(expected, quotient);
    }

    [Fact]
    public void Divide_WhenNumeratorIsNegative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Rounding.Divide(-1L, 10L, RoundingMode.HalfUp));
    }

    [Theory]
    [InlineData("0.00125", 4, RoundingMode.HalfUp, "0.0013")]
    [InlineData("0.00125", 4, RoundingMode.HalfDown, "0.0012")]
    [InlineData("0.00125", 4, RoundingMode.HalfEven, "0.0012")]
    [InlineData("0.00135", 4, RoundingMode.HalfEven, "0.0014")]
    [InlineData("0.00121", 4, RoundingMode.Up, "0.0013")]
    [InlineData("0.00129", 4, RoundingMode.Down, "0.0012")]
    [InlineData("0.00126", 4, RoundingMode.HalfDown, "0.0013")]
    public void Round_WhenDecimalNeedsFewerPlaces_RoundsByMode(string value, int decimals, RoundingMode mode, string expected)
    {
        var rounded = Rounding.Round(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), decimals, mode);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), rounded);
    }
}
