using System.Text;
using Jobs.Rating.Cdrs;

namespace Jobs.Rating.Tests;

public sealed class CallTimeTests
{
    [Theory]
    [InlineData("2018-11-29 20:19:34", "2018-11-29T20:19:34")]
    [InlineData(" 2018-11-29T20:19:34.987 ", "2018-11-29T20:19:34")]
    [InlineData("2018-11-29T20:19:34+02:00", "2018-11-29T20:19:34")]
    [InlineData("1543540774.0", "2018-11-30T01:19:34")]
    [InlineData("2018-11-29", "2018-11-29T00:00:00")]
    public void TryParse_WhenTimeIsInAKnownForm_ReadsWallClockAsWritten(string text, string expected)
    {
        var parsed = CallTime.TryParse(Encoding.ASCII.GetBytes(text), out var value);

        Assert.True(parsed);
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("NULL")]
    [InlineData("2018-02-30 10:00:00")]
    [InlineData("2018-11-29 25:00:00")]
    public void TryParse_WhenTextIsNoTime_Fails(string text)
    {
        Assert.False(CallTime.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }
}
