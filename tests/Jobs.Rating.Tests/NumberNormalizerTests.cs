using System.Text;
using Jobs.Rating.Cdrs;

namespace Jobs.Rating.Tests;

public sealed class NumberNormalizerTests
{
    [Theory]
    [InlineData("2484361721", "12484361721")]
    [InlineData("12484361721", "12484361721")]
    [InlineData("011919885918587", "919885918587")]
    [InlineData("00442071234567", "442071234567")]
    [InlineData("+442071234567", "442071234567")]
    [InlineData("+1 (248) 436-1721", "12484361721")]
    [InlineData(" 248.436.1721 ", "12484361721")]
    [InlineData("1115", null)]
    [InlineData("325", null)]
    [InlineData("*2031127", null)]
    [InlineData("**7", null)]
    [InlineData("NULL", null)]
    [InlineData("", null)]
    [InlineData("881142", null)]
    [InlineData("0802611", null)]
    [InlineData("08317515997", null)]
    [InlineData("33181543606063", null)]
    [InlineData("+0441234567", null)]
    [InlineData("0111234", null)]
    public void Normalize_WhenNorthAmericanPlan_GivesE164OrInternal(string dialed, string? expected)
    {
        var normalized = Normalize(new NumberPlan(), dialed);

        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("02071234567", "442071234567")]
    [InlineData("2071234567", "442071234567")]
    [InlineData("0033142685300", "33142685300")]
    [InlineData("999", null)]
    public void Normalize_WhenUkPlanWithTrunkPrefix_StripsTrunkPrefix(string dialed, string? expected)
    {
        var plan = new NumberPlan { CountryCode = "44", NationalNumberLength = 10, InternationalPrefixes = ["00"], TrunkPrefix = "0" };

        var normalized = Normalize(plan, dialed);

        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("81312345678", "81312345678")]
    [InlineData("4420", null)]
    public void Normalize_WhenBareNumbersAreE164_TakesThemAsTheyAre(string dialed, string? expected)
    {
        var normalized = Normalize(new NumberPlan { BareNumbersAreE164 = true }, dialed);

        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void Create_WhenPlanHasLettersInCountryCode_Throws()
    {
        Assert.Throws<ArgumentException>(() => new NumberNormalizer(new NumberPlan { CountryCode = "+1" }));
    }

    private static string? Normalize(NumberPlan plan, string dialed)
    {
        var buffer = new byte[NumberNormalizer.BufferLength];
        var length = new NumberNormalizer(plan).Normalize(Encoding.ASCII.GetBytes(dialed), buffer);
        return length < 0 ? null : Encoding.ASCII.GetString(buffer, 0, length);
    }
}
