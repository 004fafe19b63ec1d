using System.Text;
using Jobs.Rating.Cdrs;
using static Jobs.Rating.Tests.Cdrs;

namespace Jobs.Rating.Tests;

public sealed class CdrCallSinkTests
{
    private static readonly CdrSettings MasterCsv = new() { Format = CdrFormat.AsteriskMaster };

    [Fact]
    public async Task RateAsync_WithASink_GivesEveryReadableCallWithItsFieldsAsWritten()
    {
        var input = Bytes(
            Master("2484361721", 37, id: "a1"),
            Master("2484361721", 12, "NO ANSWER", start: "2026-03-02 08:00:00", id: "a2"),
            Master("*2031127", 5, id: "a3"),
            Master("2484361721", 37, id: "a4").Replace(",37,", ",abc,", StringComparison.Ordinal),
            "\"\",\"1115\",\"2484361721\"",
            Master("2484361721", 9, start: "someday", id: "a6"));
        var sink = new KeptCalls();

        var (summary, _) = await Rate(UsCard(), MasterCsv, input, new CdrRunOptions { Calls = sink });

        Assert.Equal(6, summary.Records);
        Assert.Equal(
        [
            "1|2026-03-01 10:00:00|2484361721|37|ANSWERED|a1",
            "2|2026-03-02 08:00:00|2484361721|12|NO ANSWER|a2",
            "3|2026-03-01 10:00:00|*2031127|5|ANSWERED|a3",
        ], sink.Calls);
    }

    [Fact]
    public async Task RateAsync_WhenTheCsvHasNoDispositionOrCallId_SaysSoToTheSink()
    {
        var input = Encoding.UTF8.GetBytes("number,secs,when\n2484361721,30,2026-03-01 10:00:00\n");
        var settings = new CdrSettings
        {
            Format = CdrFormat.Csv,
            Columns = new CdrColumns { Destination = "number", BilledSeconds = "secs", Start = "when" },
        };
        var sink = new KeptCalls();

        await Rate(UsCard(), settings, input, new CdrRunOptions { Calls = sink });

        Assert.Equal(["2|2026-03-01 10:00:00|2484361721|30|(none)|"], sink.Calls);
    }

    [Fact]
    public async Task RateAsync_WithFirstLine_NumbersLinesFromIt()
    {
        var input = Bytes(Master("2484361721", 37), Master("2484361721", 0));

        var (_, output) = await Rate(UsCard(), MasterCsv, input, new CdrRunOptions { FirstLine = 41, WriteHeader = false });

        Assert.Equal(["41", "42"], Lines(output).Select(line => line[..line.IndexOf(',', StringComparison.Ordinal)]));
    }

    private sealed class KeptCalls : ICdrCallSink
    {
        public List<string> Calls { get; } = [];

        public void Take(in CdrCall call) => Calls.Add(string.Join('|',
            call.Line,
            call.Start.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            Encoding.UTF8.GetString(call.Destination),
            call.BilledSeconds,
            call.HasDisposition ? Encoding.UTF8.GetString(call.Disposition) : "(none)",
            Encoding.UTF8.GetString(call.CallId)));
    }
}
