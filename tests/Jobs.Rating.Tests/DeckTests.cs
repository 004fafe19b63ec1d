using Jobs.Rating.Cards;
using static Jobs.Rating.Tests.Decks;

namespace Jobs.Rating.Tests;

public sealed class DeckTests
{
    [Fact]
    public async Task Build_WhenNoticeBlockAboveHeader_ReadsFromStartRowAndCountsFileLines()
    {
        var result = await Build(
            Settings(startRow: 4),
            "Carrier X wholesale, valid from 1 October",
            "\"All rates in EUR, per minute\",,",
            "",
            "Code,Destination,Rate",
            "44,United Kingdom,0.0100",
            "33,France,abc");

        Assert.True(result.Succeeded);
        Assert.Equal(["44"], Prefixes(result));
        Assert.Equal(2, result.Counts.RowsRead);
        Assert.Equal(new RejectedRow(6, "Rate", "'abc' is not a number"), Assert.Single(result.Rejected));
    }

    [Fact]
    public async Task Build_WhenDeckHasByteOrderMarkAndWindowsLineEnds_ReadsLikeAnyOther()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat("Code,Rate\r\n44,0.01\r\n33,x\r\n"u8.ToArray()).ToArray();

        var result = await CardBuilder.BuildAsync(new MemoryStream(bytes), Settings());

        Assert.Equal(["44"], Prefixes(result));
        Assert.Equal(3, Assert.Single(result.Rejected).Line);
    }

    [Fact]
    public async Task Build_WhenCodesStartWithPlusOrDoubleZero_StripsThem()
    {
        var result = await Build(Settings(), "Code,Rate", "+44,0.01", "0033,0.02", "+ 49,0.03");

        Assert.Equal(["33", "44", "49"], Prefixes(result));
    }

    [Fact]
    public async Task Build_WhenCellHoldsSeveralCodesAndRanges_ExpandsEveryCode()
    {
        var result = await Build(
            Settings(),
            "Code,Rate",
            "\"49152, 49162, 49172-49174\",0.05",
            "447400-447402;447405,0.02",
            "\"3531 - 3532\",0.03");

        Assert.Equal(
            ["3531", "3532", "447400", "447401", "447402", "447405", "49152", "49162", "49172", "49173", "49174"],
            Prefixes(result));
        Assert.Equal(3, result.Counts.RowsAccepted);
    }

    [Theory]
    [InlineData("447409-44740", "range '447409-44740' must join two codes of the same length")]
    [InlineData("447409-447400", "range '447409-447400' must run upward and hold at most 10000 codes")]
    [InlineData("44x", "prefix '44x' is not digits")]
    [InlineData("\" , \"", "empty prefix")]
    [InlineData("", "empty prefix")]
    public async Task Build_WhenPrefixCellIsUnusable_RejectsRowNamingPrefixColumn(string cell, string reason)
    {
        var result = await Build(Settings(), "Code,Rate", $"{cell},0.05", "44,0.01");

        Assert.Equal(new RejectedRow(2, "Code", reason), Assert.Single(result.Rejected));
        Assert.Equal(["44"], Prefixes(result));
    }

    [Fact]
    public async Task Build_WhenDatesInIsoAndDayFirstForms_ReadsBoth()
    {
        var result = await Build(
            Settings(effective: "Effective", end: "End"),
            "Code,Rate,Effective,End",
            "44,0.01,2026-09-23,23/12/2026",
            "33,0.02,23/09/2026,");

        var uk = result.Card!.Entries.Single(entry => entry.Prefix == "44");
        var france = result.Card!.Entries.Single(entry => entry.Prefix == "33");
        Assert.Equal((new DateOnly(2026, 9, 23), new DateOnly(2026, 12, 23)), (uk.EffectiveFrom!.Value, uk.EffectiveTo!.Value));
        Assert.Equal(new DateOnly(2026, 9, 23), france.EffectiveFrom);
        Assert.Null(france.EffectiveTo);
    }

    [Theory]
    [InlineData("2026-09-23", "2026-09-01", "end date 2026-09-01 is not after effective date 2026-09-23")]
    [InlineData("2026-09-23", "2026-09-23", "end date 2026-09-23 is not after effective date 2026-09-23")]
    [InlineData("2026-13-01", "", "'2026-13-01' is not a date like 2026-09-23 or 23/09/2026")]
    public async Task Build_WhenDatesAreWrong_RejectsWithReason(string effective, string end, string reason)
    {
        var result = await Build(Settings(effective: "From", end: "To"), "Code,Rate,From,To", $"44,0.01,{effective},{end}");

        var rejected = Assert.Single(result.Rejected);
        Assert.Equal((2L, reason), (rejected.Line, rejected.Reason));
        Assert.Empty(result.Card!.Entries);
    }

    [Theory]
    [InlineData("30/6", 30, 6)]
    [InlineData("60/60", 60, 60)]
    [InlineData(" 1 / 1 ", 1, 1)]
    [InlineData("60", 60, 60)]
    public async Task Build_WhenBillingColumnHoldsIncrements_SetsThem(string billing, int initial, int increment)
    {
        var result = await Build(Settings(billing: "Billing"), "Code,Rate,Billing", $"44,0.01,{billing}");

        var entry = Assert.Single(result.Card!.Entries);
        Assert.Equal((initial, increment), (entry.InitialIncrement, entry.Increment));
    }

    [Theory]
    [InlineData("30/0")]
    [InlineData("30/6/6")]
    [InlineData("thirty")]
    public async Task Build_WhenBillingIsUnreadable_RejectsNamingBillingColumn(string billing)
    {
        var result = await Build(Settings(billing: "Billing"), "Code,Rate,Billing", $"44,0.01,{billing}");

        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(("Billing", $"'{billing}' is not initial/subsequent seconds like 30/6"), (rejected.Column, rejected.Reason));
    }

    [Fact]
    public async Task Build_WhenDeckLacksIncrementsAndFee_UsesDefaults()
    {
        var settings = Settings() with { Defaults = new CardDefaults { InitialIncrement = 60, Increment = 6, ConnectionFee = 0.02m } };

        var result = await Build(settings, "Code,Rate", "44,0.01");

        var entry = Assert.Single(result.Card!.Entries);
        Assert.Equal((60, 6, 0.02m), (entry.InitialIncrement, entry.Increment, entry.ConnectionFee));
    }

    [Fact]
    public async Task Build_WhenNoDefaults_BillsPerSecondWithoutFee()
    {
        var result = await Build(Settings(), "Code,Rate", "44,0.01");

        var entry = Assert.Single(result.Card!.Entries);
        Assert.Equal((1, 1, 0m), (entry.InitialIncrement, entry.Increment, entry.ConnectionFee));
    }

    [Fact]
    public async Task Build_WhenSeparateIncrementColumns_ReadsThem()
    {
        var columns = new CardColumns { Prefix = "Code", Rate = "Rate", InitialIncrement = "Min", Increment = "Step" };
        var settings = Settings() with { Columns = columns };

        var result = await Build(settings, "Code,Rate,Min,Step", "44,0.01,30,6", "33,0.01,,");

        var increments = result.Card!.Entries
            .OrderByDescending(entry => entry.Prefix)
            .Select(entry => (entry.InitialIncrement, entry.Increment));
        Assert.Equal([(30, 6), (1, 1)], increments);
    }

    [Fact]
    public async Task Build_WhenPrefixPrependGiven_PutsItBeforeEveryCode()
    {
        var settings = Settings(prefix: "NPANXX") with { PrefixPrepend = "1" };

        var result = await Build(settings, "NPANXX,Rate,Wireless,Land Line", "201200,0.004356,,x", "201202,0.0036,x,");

        Assert.Equal(["1201200", "1201202"], Prefixes(result));
    }

    [Fact]
    public async Task Build_WhenRowIsIdenticalDuplicate_MergesSilently()
    {
        var result = await Build(
            Settings(name: "Name"),
            "Code,Name,Rate",
            "44,United Kingdom,0.0100",
            "44,UK,0.010",
            "\"44, 33\",UK,0.01");

        Assert.Empty(result.Rejected);
        Assert.Equal(["33", "44"], Prefixes(result));
        Assert.Equal(2, result.Counts.DuplicatesMerged);
        Assert.Equal("United Kingdom", result.Card!.Entries.Single(entry => entry.Prefix == "44").Name);
    }

    [Fact]
    public async Task Build_WhenSamePrefixHasDifferentRate_RejectsLaterRowNamingEarlierLine()
    {
        var result = await Build(Settings(), "Code,Rate", "44,0.0100", "33,0.02", "\"33, 44\",0.0120");

        Assert.Equal(
            new RejectedRow(4, "Code", "prefix 33 conflicts with line 3 (rate 0.02 there, 0.0120 here)"),
            Assert.Single(result.Rejected));
        Assert.Equal([0.0100m, 0.02m], result.Card!.Entries.OrderByDescending(entry => entry.Prefix).Select(entry => entry.Rate));
    }

    [Fact]
    public async Task Build_WhenSamePrefixHasDisjointDateRanges_KeepsBoth()
    {
        var result = await Build(
            Settings(effective: "From", end: "To"),
            "Code,Rate,From,To",
            "44,0.01,,2026-07-01",
            "44,0.02,2026-07-01,");

        Assert.Empty(result.Rejected);
        Assert.Equal(2, result.Card!.Entries.Count);
        Assert.Equal(1, result.Card.PrefixCount);
    }

    [Fact]
    public async Task Build_WhenSameChargesButOverlappingDates_RejectsAsConflict()
    {
        var result = await Build(
            Settings(effective: "From"),
            "Code,Rate,From",
            "44,0.01,",
            "44,0.01,2026-07-01");

        Assert.Equal("prefix 44 conflicts with line 2 (overlapping effective dates)", Assert.Single(result.Rejected).Reason);
    }

    [Fact]
    public async Task Build_WhenBlockedColumn_MarksBlockedAndRejectsUnknownFlags()
    {
        var result = await Build(Settings(blocked: "Blocked"), "Code,Rate,Blocked", "44,0.01,x", "33,0.01,", "49,0.01,maybe");

        Assert.True(result.Card!.Entries.Single(entry => entry.Prefix == "44").Blocked);
        Assert.False(result.Card.Entries.Single(entry => entry.Prefix == "33").Blocked);
        Assert.Equal(new RejectedRow(4, "Blocked", "'maybe' is not a yes/no flag"), Assert.Single(result.Rejected));
    }

    [Theory]
    [InlineData("-0.01", "-0.01 is outside 0 to 1000000")]
    [InlineData("0.00000000001", "0.00000000001 has more than 10 decimal places")]
    [InlineData("1,5", "'1,5' is not a number")]
    public async Task Build_WhenRateIsUnusable_RejectsWithReason(string rate, string reason)
    {
        var result = await Build(Settings(), "Code,Rate", $"44,\"{rate}\"");

        Assert.Equal(new RejectedRow(2, "Rate", reason), Assert.Single(result.Rejected));
    }

    [Fact]
    public async Task Build_WhenRateIsEmptyOrRowIsBlank_RejectsEmptyRateAndIgnoresBlankRow()
    {
        var result = await Build(Settings(), "Code,Rate", "44,", ",", "33,0.01");

        Assert.Equal(new RejectedRow(2, "Rate", "empty rate"), Assert.Single(result.Rejected));
        Assert.Equal((2L, 1L, 1L), (result.Counts.RowsRead, result.Counts.RowsAccepted, result.Counts.BlankRows));
    }

    [Fact]
    public async Task Build_WhenStrictAndRowsRejected_FailsNamingFirstProblems()
    {
        var result = await Build(Settings(strict: true), "Code,Rate", "44,abc", "33,0.01", "49,", "1x,0.01");

        Assert.False(result.Succeeded);
        Assert.Equal(
            "strict build rejected 3 row(s): line 2, column Rate: 'abc' is not a number; line 4, column Rate: empty rate; "
            + "line 5, column Code: prefix '1x' is not digits",
            result.Failure);
        Assert.Equal(3, result.Rejected.Count);
    }

    [Fact]
    public async Task Build_WhenStrictAndDeckClean_Succeeds()
    {
        var result = await Build(Settings(strict: true), "Code,Rate", "44,0.01");

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Build_WhenHeaderLacksMappedColumn_FailsNamingIt()
    {
        var result = await Build(Settings(rate: "Price"), "Code,Rate", "44,0.01");

        Assert.Equal("the header on line 1 (Code,Rate) lacks column 'Price' (columns.rate)", result.Failure);
    }

    [Fact]
    public async Task Build_WhenHeaderNamesDifferInCaseAndSpaces_StillMatches()
    {
        var result = await Build(Settings(prefix: "code", rate: "RATE"), " Code , Rate ", "44,0.01");

        Assert.Equal(["44"], Prefixes(result));
    }

    [Theory]
    [InlineData(9, 1, "EUR", "precision 9 must be 0 to 8")]
    [InlineData(4, 0, "EUR", "startRow 0 must be 1 or more")]
    [InlineData(4, 1, "", "currency '' must be a three-letter ISO 4217 code")]
    public async Task Build_WhenSettingsInvalid_FailsNamingSetting(int precision, int startRow, string currency, string failure)
    {
        var settings = Settings() with { Precision = precision, StartRow = startRow, Currency = currency };

        var result = await Build(settings, "Code,Rate", "44,0.01");

        Assert.Equal(failure, result.Failure);
    }

    [Fact]
    public async Task Build_WhenStartRowIsPastTheEnd_FailsForWantOfHeader()
    {
        var result = await Build(Settings(startRow: 10), "Code,Rate", "44,0.01");

        Assert.Equal("no header row at or after line 10", result.Failure);
    }

    [Fact]
    public async Task Build_WhenProgressIsObserved_EndsWithAllBytes()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("Code,Rate\n44,0.01\n33,0.02\n");
        var reports = new List<ReadProgress>();

        await CardBuilder.BuildAsync(new MemoryStream(bytes), Settings(), new InlineProgress<ReadProgress>(reports.Add));

        Assert.Equal(new ReadProgress(2, bytes.Length, bytes.Length), reports[^1]);
    }

    [Fact]
    public async Task Build_WhenCancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => CardBuilder.BuildAsync(new MemoryStream("Code,Rate\n44,0.01\n"u8.ToArray()), Settings(), null, cancelled.Token));
    }
}

/// <summary>Reports synchronously, unlike Progress, which posts to the thread pool.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
