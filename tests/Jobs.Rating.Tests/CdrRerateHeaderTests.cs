using Jobs.Rating.Cdrs;
using static Jobs.Rating.Tests.Cdrs;

namespace Jobs.Rating.Tests;

public sealed class CdrRerateHeaderTests
{
    private const string ExportHeader =
        "AcctId,tenant,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,calldate,duration,billsec,billamount,"
        + "disposition,amaflags,accountcode,uniqueid,userfield";

    private static readonly CdrSettings Export = new()
    {
        Format = CdrFormat.Csv,
        Columns = new CdrColumns
        {
            Destination = "dst",
            BilledSeconds = "billsec",
            Disposition = "disposition",
            Start = "calldate",
            CallId = "uniqueid",
        },
    };

    // The real export's quirks: a clid wrapped in quotes without doubling the inner ones, quoted lastdata holding
    // commas, NULL for missing values, NO ANSWER with seconds, 011 international, an extension, a feature code.
    private static byte[] Fixture() => Bytes(
        ExportHeader,
        "1,NULL,\"\"Caller 1\" <1115>\",1115,2484361721,default,PJSIP/1115-00007221,NULL,AGI,agi://127.0.0.1,"
            + "\"2018-11-29 20:19:34\",37,32,NULL,ANSWERED,3,1115,1543540774.0,NULL",
        "2,NULL,\"\"Caller 1\" <1115>\",1115,2485269767,default,PJSIP/1115-00006697,PJSIP/VIOrig-00000535,Dial,"
            + "\"PJSIP/12485264131@VIOrig,,XL(81525144:60000:15000)b(gosub-predial^s^1)\",\"2018-11-29 20:20:17\",21,20,NULL,"
            + "\"NO ANSWER\",3,1115,1543540817.1,NULL",
        "3,NULL,\"\"\" <2484361721>\",2484361721,1115,glocom-originate,Local/1115@glocom-originate-00007221;1,NULL,AppDial2,"
            + "\"(Outgoing Line)\",\"2018-11-30 11:48:17\",0,0,NULL,\"NO ANSWER\",3,1115,1543596497.7,NULL",
        "4,NULL,\"\"Caller 3\" <1142>\",1142,011919885918587,local-call,PJSIP/1142-0001,PJSIP/thinQ-0002,Dial,"
            + "\"PJSIP/919885918587@thinQ,,XL(86408279:60000:15000)\",\"2018-11-30 12:50:05\",70,65,NULL,ANSWERED,3,1142,"
            + "1543600205.69,NULL",
        "5,NULL,\"\"Caller 3\" <1142>\",1142,*2031127,default,PJSIP/1142-0003,NULL,Playback,beep,\"2018-11-30 12:51:00\","
            + "10,8,NULL,ANSWERED,3,1142,1543600260.70,NULL",
        "6,NULL,\"\"\" <12484360587>\",1127,NULL,stasis-dial,PJSIP/1127-0004,NULL,AppDial2,\"(Outgoing Line)\","
            + "\"2018-11-30 13:00:00\",850,847,NULL,ANSWERED,3,1127,1543602000.71,NULL");

    private static RateCard Card() => Cards.Card(
        Cards.Entry("1248", 0.0120m, initial: 6, increment: 6, name: "US Michigan"),
        Cards.Entry("91", 0.10m, initial: 60, increment: 60, name: "India"));

    [Fact]
    public async Task RateAsync_WhenExportHasOddQuoting_ReadsEveryRowAndChargesOnlyAnsweredExternalCalls()
    {
        var (summary, _) = await Rate(Card(), Export, Fixture());

        // 32 s at 6/6 bills 36 s: 0.0120 × 36 / 60 = 0.0072; 65 s at 60/60 bills 120 s: 0.10 × 2 = 0.2000.
        Assert.Equal((6L, 4L, 2L, 4L, 0L), (summary.Records, summary.Answered, summary.Rated, summary.Skipped, summary.Bad));
        Assert.Equal(156, summary.BilledSeconds);
        Assert.Equal("0.2072", summary.TotalChargeText);
    }

    [Fact]
    public async Task RateAsync_WhenExportRated_WritesFileLineNumbersAndCallIds()
    {
        var (_, output) = await Rate(Card(), Export, Fixture());

        var lines = Lines(output);
        Assert.Equal(7, lines.Length);
        Assert.Equal(
            "2,1543540774.0,2018-11-29 20:19:34,2484361721,12484361721,ANSWERED,32,rated,,1248,US Michigan,36,0.0120,0.0072",
            lines[1]);
        Assert.Equal("3,1543540817.1,2018-11-29 20:20:17,2485269767,,NO ANSWER,20,skipped,not answered,,,0,,0.0000", lines[2]);
        Assert.Equal(
            "5,1543600205.69,2018-11-30 12:50:05,011919885918587,919885918587,ANSWERED,65,rated,,91,India,120,0.10,0.2000",
            lines[4]);
        Assert.Equal("7,1543602000.71,2018-11-30 13:00:00,NULL,,ANSWERED,847,skipped,internal number,,,0,,0.0000", lines[6]);
    }

    [Fact]
    public async Task RateAsync_WhenMappedColumnIsNotInHeader_Throws()
    {
        var settings = Export with { Columns = Export.Columns! with { BilledSeconds = "billable" } };

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => Rate(Card(), settings, Fixture()));

        Assert.Contains("column 'billable' (columns.billedSeconds) is not in the header", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateAsync_WhenNoStartColumnAndNoDefault_Throws()
    {
        var settings = Export with { Columns = Export.Columns! with { Start = null } };

        await Assert.ThrowsAsync<InvalidDataException>(() => Rate(Card(), settings, Fixture()));
    }

    [Fact]
    public async Task RateAsync_WhenNoStartColumn_RatesAtDefaultStart()
    {
        var card = Cards.Card(
            Cards.Entry("1248", 0.06m, to: new DateOnly(2019, 1, 1)),
            Cards.Entry("1248", 0.60m, from: new DateOnly(2019, 1, 1)));
        var settings = Export with { Columns = Export.Columns! with { Start = null }, DefaultStart = new DateTime(2019, 6, 1) };

        var (summary, _) = await Rate(card, settings, Fixture());

        Assert.Equal(0.3200m, summary.TotalCharge);
    }

    [Fact]
    public async Task RateAsync_WhenNoDispositionColumn_TreatsSecondsAsAnswered()
    {
        var settings = Export with { Columns = Export.Columns! with { Disposition = null } };

        var (summary, _) = await Rate(Card(), settings, Fixture());

        // The NO ANSWER row with 20 s to 2485269767 now counts as answered and is rated: 0.0120 × 24 / 60 = 0.0048.
        Assert.Equal((3L, 0.2120m), (summary.Rated, summary.TotalCharge));
    }
}
