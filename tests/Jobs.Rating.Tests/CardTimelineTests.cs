using Jobs.Rating.Cdrs;
using static Jobs.Rating.Tests.Cdrs;

namespace Jobs.Rating.Tests;

public sealed class CardTimelineTests
{
    private static readonly CdrSettings MasterCsv = new() { Format = CdrFormat.AsteriskMaster };

    private static readonly DateTime SecondInForce = new(2026, 3, 1, 12, 0, 0);

    private static CardTimeline TwoRevisions(int secondPrecision = 4) => CardTimeline.Create(
    [
        new CardPeriod(new DateTime(2026, 2, 1), 4, () => Cards.Card(Cards.Entry("1248", 0.0120m, name: "first"))),
        new CardPeriod(SecondInForce, secondPrecision, () => Cards.Card(
            secondPrecision, RoundingMode.HalfUp, Cards.Entry("1248", 0.0600m, name: "second"))),
    ]);

    [Fact]
    public void IndexAt_WhenCallsFallBeforeBetweenAndAfterRevisions_PicksTheRevisionInForce()
    {
        var timeline = TwoRevisions();

        Assert.Equal(0, timeline.IndexAt(new DateTime(2025, 1, 1)));
        Assert.Equal(0, timeline.IndexAt(SecondInForce.AddSeconds(-1)));
        Assert.Equal(1, timeline.IndexAt(SecondInForce));
        Assert.Equal(1, timeline.IndexAt(new DateTime(2030, 1, 1)));
    }

    [Fact]
    public async Task RateAsync_WithTwoRevisions_RatesEachCallByTheRevisionInForceAtItsStart()
    {
        var input = Bytes(
            Master("2484361721", 60, start: "2026-03-01 11:59:59", id: "before"),
            Master("2484361721", 60, start: "2026-03-01 12:00:00", id: "after"));

        using var output = new MemoryStream();
        var summary = await new CdrRerater(TwoRevisions(), MasterCsv).RateAsync(new MemoryStream(input), output);

        var lines = Lines(System.Text.Encoding.UTF8.GetString(output.ToArray()));
        Assert.EndsWith(",rated,,1248,first,60,0.0120,0.0120", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",rated,,1248,second,60,0.0600,0.0600", lines[2], StringComparison.Ordinal);
        Assert.Equal("0.0720", summary.TotalChargeText);
    }

    [Fact]
    public async Task RateAsync_WhenRevisionsDifferInPrecision_AddsChargesExactlyAtTheLargerPrecision()
    {
        var input = Bytes(
            Master("2484361721", 7, start: "2026-02-10 10:00:00"),
            Master("2484361721", 7, start: "2026-03-10 10:00:00"));

        using var output = new MemoryStream();
        var summary = await new CdrRerater(TwoRevisions(secondPrecision: 6), MasterCsv).RateAsync(new MemoryStream(input), output);

        // 7 s at 0.012/min = 0.0014 (4 places); at 0.06/min = 0.007000 (6 places).
        var lines = Lines(System.Text.Encoding.UTF8.GetString(output.ToArray()));
        Assert.EndsWith(",0.0014", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",0.007000", lines[2], StringComparison.Ordinal);
        Assert.Equal(6, summary.Precision);
        Assert.Equal("0.008400", summary.TotalChargeText);
    }

    [Fact]
    public async Task RateAsync_WhenNoCallNeedsARevision_NeverLoadsIt()
    {
        var loads = 0;
        var timeline = CardTimeline.Create(
        [
            new CardPeriod(new DateTime(2026, 1, 1), 4, () =>
            {
                loads++;
                return Cards.Card(Cards.Entry("1", 0.01m));
            }),
            new CardPeriod(new DateTime(2026, 6, 1), 4, () => Cards.Card(Cards.Entry("1", 0.02m))),
        ]);

        await new CdrRerater(timeline, MasterCsv).RateAsync(
            new MemoryStream(Bytes(Master("2484361721", 60, start: "2026-07-01 10:00:00"))), new MemoryStream());

        Assert.Equal(0, loads);
    }

    [Fact]
    public void Create_WhenRevisionsAreOutOfOrder_Throws()
    {
        var card = Cards.Card(Cards.Entry("1", 0.01m));

        var error = Assert.Throws<ArgumentException>(() => CardTimeline.Create(
        [
            new CardPeriod(new DateTime(2026, 6, 1), 4, () => card),
            new CardPeriod(new DateTime(2026, 1, 1), 4, () => card),
        ]));

        Assert.Contains("before revision 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateAsync_WhenALoadedCardContradictsItsDeclaredPrecision_Throws()
    {
        var timeline = CardTimeline.Create([new CardPeriod(DateTime.MinValue, 2, () => Cards.Card(Cards.Entry("1", 0.01m)))]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new CdrRerater(timeline, MasterCsv)
            .RateAsync(new MemoryStream(Bytes(Master("2484361721", 60))), new MemoryStream()));

        Assert.Contains("precision 4, not 2", error.Message, StringComparison.Ordinal);
    }
}
