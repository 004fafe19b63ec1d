using Jobs.Rating.Cdrs;
using static Jobs.Rating.Tests.Cdrs;

namespace Jobs.Rating.Tests;

public sealed class CdrPartitionTests
{
    private static readonly string[] Numbers = ["2484361721", "011442071234567", "1115", "+33123456789", "19005551234", "12485269767"];
    private static readonly string[] Dispositions = ["ANSWERED", "ANSWERED", "NO ANSWER", "ANSWERED", "BUSY"];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task RateAsync_WhenMasterCsvRatedInPartitions_SummariesAndOutputsAddUpToTheWhole(int count)
    {
        var input = Generated(header: null);
        var settings = new CdrSettings { Format = CdrFormat.AsteriskMaster };

        var whole = await Rate(UsCard(), settings, input);
        var parts = await RatePartitions(settings, input, count);

        Assert.Equal(count, parts.Count);
        Assert.Equal(whole.Output, string.Concat(parts.Select(part => part.Output)));
        AssertSameSummary(whole.Summary, CdrSummary.Sum(parts.Select(part => part.Summary)));
    }

    [Fact]
    public async Task RateAsync_WhenHeadedCsvRatedInPartitions_EachPartitionReadsTheHeader()
    {
        var settings = new CdrSettings
        {
            Format = CdrFormat.Csv,
            Columns = new CdrColumns { Destination = "Called", BilledSeconds = "Secs", Disposition = "Result", Start = "Start" },
        };
        var input = Generated(header: "Start,Called,Secs,Result");

        var whole = await Rate(UsCard(), settings, input);
        var parts = await RatePartitions(settings, input, 4);

        Assert.Equal(whole.Output, string.Concat(parts.Select(part => part.Output)));
        AssertSameSummary(whole.Summary, CdrSummary.Sum(parts.Select(part => part.Summary)));
    }

    [Fact]
    public async Task RateAsync_WhenFileHasWindowsLineEnds_PartitionsStillAddUp()
    {
        var text = System.Text.Encoding.UTF8.GetString(Generated(header: null));
        var input = System.Text.Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));
        var settings = new CdrSettings { Format = CdrFormat.AsteriskMaster };

        var whole = await Rate(UsCard(), settings, input);
        var parts = await RatePartitions(settings, input, 3);

        Assert.Equal(whole.Output, string.Concat(parts.Select(part => part.Output)));
        AssertSameSummary(whole.Summary, CdrSummary.Sum(parts.Select(part => part.Summary)));
        Assert.Equal(400, whole.Summary.Records);
    }

    [Fact]
    public async Task PlanAsync_WhenMorePartitionsThanLines_ReturnsOnePerLine()
    {
        var input = Bytes(Master("2484361721", 10), Master("2484361721", 20));

        var plan = await CdrPartitioner.PlanAsync(new MemoryStream(input), 5, hasHeader: false);

        Assert.Equal(2, plan.Count);
        Assert.Equal((0L, 1L), (plan[0].StartByte, plan[0].FirstLine));
        Assert.Equal((plan[0].EndByte, 2L, (long)input.Length), (plan[1].StartByte, plan[1].FirstLine, plan[1].EndByte));
    }

    [Fact]
    public async Task PlanAsync_WhenFileHasHeader_FirstPartitionStartsOnLineTwo()
    {
        var input = Bytes("Start,Called,Secs", "2026-03-01 10:00:00,2484361721,10");

        var plan = await CdrPartitioner.PlanAsync(new MemoryStream(input), 1, hasHeader: true);

        Assert.Equal(new CdrPartition(0, 18, input.Length, 2), Assert.Single(plan));
    }

    private static async Task<List<(CdrSummary Summary, string Output)>> RatePartitions(CdrSettings settings, byte[] input, int count)
    {
        var plan = await CdrPartitioner.PlanAsync(new MemoryStream(input), count, settings);
        var parts = new List<(CdrSummary, string)>();
        foreach (var partition in plan)
        {
            // Each partition gets its own stream, as a worker on another machine would.
            parts.Add(await Rate(UsCard(), settings, input, new CdrRunOptions { Partition = partition }));
        }

        return parts;
    }

    private static void AssertSameSummary(CdrSummary expected, CdrSummary actual)
    {
        Assert.Equal(expected with { Issues = [] }, actual with { Issues = [] });
        Assert.Equal(expected.Issues, actual.Issues);
    }

    private static byte[] Generated(string? header)
    {
        var random = new Random(20261203);
        var lines = new List<string>();
        if (header is not null)
        {
            lines.Add(header);
        }

        for (var i = 0; i < 400; i++)
        {
            var number = Numbers[random.Next(Numbers.Length)];
            var seconds = random.Next(0, 400);
            var disposition = Dispositions[random.Next(Dispositions.Length)];
            lines.Add(header is null
                ? Master(number, seconds, disposition, id: $"c{i}")
                : $"2026-03-01 10:00:00,{number},{(i % 97 == 0 ? "x" : seconds)},{disposition}");
        }

        return Bytes([.. lines]);
    }
}
