namespace Jobs.Rating.Tests;

public sealed class IncrementsTests
{
    [Theory]
    [InlineData(0, 1, 1, 0)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(61, 1, 1, 61)]
    [InlineData(0, 6, 6, 0)]
    [InlineData(1, 6, 6, 6)]
    [InlineData(6, 6, 6, 6)]
    [InlineData(7, 6, 6, 12)]
    [InlineData(0, 30, 6, 0)]
    [InlineData(1, 30, 6, 30)]
    [InlineData(30, 30, 6, 30)]
    [InlineData(31, 30, 6, 36)]
    [InlineData(36, 30, 6, 36)]
    [InlineData(37, 30, 6, 42)]
    [InlineData(61, 30, 6, 66)]
    [InlineData(1, 60, 60, 60)]
    [InlineData(60, 60, 60, 60)]
    [InlineData(61, 60, 60, 120)]
    [InlineData(121, 60, 60, 180)]
    public void Bill_WhenCallLastsSeconds_BillsByIncrements(int seconds, int initial, int increment, int expected)
    {
        var billed = Increments.Bill(seconds, initial, increment);

        Assert.Equal(expected, billed);
    }

    [Fact]
    public void Bill_WhenIncrementIsZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Increments.Bill(10, 30, 0));
    }
}
