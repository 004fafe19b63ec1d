using Jobs.Rating.Cdrs;
using static Jobs.Rating.Tests.Cdrs;

namespace Jobs.Rating.Tests;

public sealed class CdrRerateMasterTests
{
    private static readonly CdrSettings MasterCsv = new() { Format = CdrFormat.AsteriskMaster };

    private static byte[] Fixture() => Bytes(
        Master("2484361721", 37, id: "a1"),
        Master("011442071234567", 61, id: "a2"),
        Master("2484361721", 12, "NO ANSWER", id: "a3"),
        Master("2484361721", 3, "FAILED", id: "a4"),
        Master("1115", 20, id: "a5"),
        Master("*2031127", 5, id: "a6"),
        Master("+33123456789", 30, id: "a7"),
        Master("19005551234", 30, id: "a8"),
        Master("2484361721", 37, id: "a9").Replace(",37,", ",abc,", StringComparison.Ordinal),
        "\"\",\"1115\",\"2484361721\"",
        Master("12485269767", 9, id: "a11"),
        Master("2484361721", 0, id: "a12"),
        Master("2484361721", 0, "BUSY", id: "a13"));

    [Fact]
    public async Task RateAsync_WhenMasterCsvHasEveryKindOfRecord_AccountsForEachRecord()
    {
        var (summary, _) = await Rate(UsCard(), MasterCsv, Fixture());

        // Rated by hand: 37 s at 30/6 bills 42 s, 0.0100 + 0.0120 × 42 / 60 = 0.0184; 61 s at 60/60 bills 120 s,
        // 0.05 × 2 = 0.1000; 9 s bills 30 s, 0.0100 + 0.0060 = 0.0160.
        Assert.Equal(13, summary.Records);
        Assert.Equal((3L, 1L, 1L, 6L, 2L), (summary.Rated, summary.Unmatched, summary.Blocked, summary.Skipped, summary.Bad));
        Assert.Equal(7, summary.Answered);
        Assert.Equal(192, summary.BilledSeconds);
        Assert.Equal("0.1344", summary.TotalChargeText);
    }

    [Fact]
    public async Task RateAsync_WhenNotAnsweredWithPositiveBillsec_DoesNotCharge()
    {
        var input = Bytes(Master("2484361721", 12, "NO ANSWER"), Master("2484361721", 3, "FAILED"));

        var (summary, output) = await Rate(UsCard(), MasterCsv, input);

        Assert.Equal((0L, 2L, 0m), (summary.Rated, summary.Skipped, summary.TotalCharge));
        Assert.All(Lines(output)[1..], line => Assert.Contains(",skipped,not answered,,,0,,0.0000", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RateAsync_WhenRecordsRated_WritesOneRowPerRecordWithFieldsAndCharge()
    {
        var input = Bytes(
            Master("2484361721", 37, id: "a1"),
            Master("+33123456789", 30, id: "a7"),
            Master("1115", 20, id: "a5"),
            "\"\",\"1115\"");

        var (_, output) = await Rate(UsCard(), MasterCsv, input);

        Assert.Equal(
            [
                OutputHeader,
                "1,a1,2026-03-01 10:00:00,2484361721,12484361721,ANSWERED,37,rated,,1248,US Michigan,42,0.0120,0.0184",
                "2,a7,2026-03-01 10:00:00,+33123456789,33123456789,ANSWERED,30,unmatched,no prefix matches,,,0,,0.0000",
                "3,a5,2026-03-01 10:00:00,1115,,ANSWERED,20,skipped,internal number,,,0,,0.0000",
                "4,,,,,,,bad,\"row has 2 fields, at least 15 are needed\",,,0,,0.0000",
            ],
            Lines(output));
    }

    [Fact]
    public async Task RateAsync_WhenRowsAreBadOrUnmatched_ListsThemWithLineAndReason()
    {
        var (summary, _) = await Rate(UsCard(), MasterCsv, Fixture());

        Assert.Equal(
            [
                new CdrIssue(7, CdrStatus.Unmatched, "+33123456789", "no prefix matches"),
                new CdrIssue(8, CdrStatus.Blocked, "19005551234", "prefix is blocked"),
                new CdrIssue(9, CdrStatus.Bad, "2484361721", "billsec 'abc' is not a whole number of seconds up to 31622400"),
                new CdrIssue(10, CdrStatus.Bad, "2484361721", "row has 3 fields, at least 15 are needed"),
            ],
            summary.Issues);
    }

    [Fact]
    public async Task RateAsync_WhenIssueLimitReached_StillCallsBackForEveryIssue()
    {
        var seen = new List<long>();
        var options = new CdrRunOptions { IssueLimit = 1, OnIssue = issue => seen.Add(issue.Line) };

        var (summary, _) = await Rate(UsCard(), MasterCsv, Fixture(), options);

        Assert.Equal([7L], summary.Issues.Select(issue => issue.Line));
        Assert.Equal([7L, 8L, 9L, 10L], seen);
    }

    [Fact]
    public async Task RateAsync_WhenRunTwice_GivesByteIdenticalOutput()
    {
        var first = await Rate(UsCard(), MasterCsv, Fixture());
        var second = await Rate(UsCard(), MasterCsv, Fixture());

        Assert.Equal(first.Output, second.Output);
        Assert.Equal(first.Summary with { Issues = [] }, second.Summary with { Issues = [] });
    }

    [Fact]
    public async Task RateAsync_WhenCardRatesByDate_UsesRateInForceAtCallStart()
    {
        var card = Cards.Card(
            Cards.Entry("1248", 0.01m, to: new DateOnly(2026, 3, 1)),
            Cards.Entry("1248", 0.02m, from: new DateOnly(2026, 3, 1)));
        var input = Bytes(Master("2484361721", 60, start: "2026-02-28 23:59:59"), Master("2484361721", 60, start: "2026-03-01 00:00:00"));

        var (summary, output) = await Rate(card, MasterCsv, input);

        Assert.Equal("0.0300", summary.TotalChargeText);
        Assert.EndsWith(",0.01,0.0100", Lines(output)[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateAsync_WhenStartIsUnreadable_ReportsBadRow()
    {
        var (summary, _) = await Rate(UsCard(), MasterCsv, Bytes(Master("2484361721", 60, start: "yesterday")));

        Assert.Equal(
            new CdrIssue(1, CdrStatus.Bad, "2484361721", "start 'yesterday' is not a date and time"),
            Assert.Single(summary.Issues));
    }

    [Fact]
    public async Task RateAsync_WhenProgressObserved_EndsWithAllRecordsAndBytes()
    {
        var input = Fixture();
        var reports = new List<ReadProgress>();

        await Rate(UsCard(), MasterCsv, input, new CdrRunOptions { Progress = new InlineProgress<ReadProgress>(reports.Add) });

        Assert.Equal(new ReadProgress(13, input.Length, input.Length), reports[^1]);
    }

    [Fact]
    public async Task RateAsync_WhenCancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var rerater = new CdrRerater(UsCard(), MasterCsv);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => rerater.RateAsync(new MemoryStream(Fixture()), new MemoryStream(), null, cancelled.Token));
    }
}
