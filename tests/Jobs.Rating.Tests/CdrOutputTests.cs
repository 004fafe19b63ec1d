using System.Text;
using Jobs.Rating.Cdrs;

namespace Jobs.Rating.Tests;

public sealed class CdrOutputTests
{
    [Theory]
    [InlineData(16, 4, "0.0016")]
    [InlineData(0, 4, "0.0000")]
    [InlineData(184, 4, "0.0184")]
    [InlineData(123456, 2, "1234.56")]
    [InlineData(10000, 4, "1.0000")]
    [InlineData(5, 0, "5")]
    [InlineData(0, 0, "0")]
    [InlineData(long.MaxValue, 8, "92233720368.54775807")]
    public void FormatUnits_WhenChargeInUnits_WritesFixedPlaces(long units, int precision, string expected)
    {
        Span<byte> buffer = stackalloc byte[32];

        var length = CdrOutput.FormatUnits(units, precision, buffer);

        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..length]));
    }
}
