using System.Globalization;
using System.Text;
using Jobs.Rating.Cards;
using Jobs.Rating.Cdrs;

namespace Jobs.Rating.Tests;

/// <summary>Checks against the real files in shared/data; each skips where the file is absent.</summary>
public sealed class RealDataTests
{
    [RealDataFact(RealData.UsDeck)]
    public async Task RealData_UsNpanxxDeck_BuildsEveryRowWithPrefixOne()
    {
        var path = RealData.PathOf(RealData.UsDeck)!;
        var settings = new CardSettings
        {
            Name = "US",
            Currency = "USD",
            PrefixPrepend = "1",
            Columns = new CardColumns { Prefix = "NPANXX", Rate = "Rate" },
        };

        await using var deck = File.OpenRead(path);
        var result = await CardBuilder.BuildAsync(deck, settings);

        var lines = File.ReadLines(path).Skip(1).Where(line => line.Length > 0).ToList();
        var last = lines[^1].Split(',');
        Assert.Empty(result.Rejected);
        Assert.Equal(lines.Count, result.Counts.RowsRead);
        Assert.Equal(lines.Count, result.Card!.Entries.Count);
        Assert.Equal(decimal.Parse(last[1], CultureInfo.InvariantCulture), result.Card.Find("1" + last[0] + "1234", DateTime.Now)!.Rate);
    }

    [RealDataFact(RealData.EuPrefixes)]
    public void RealData_EuPrefixes_MatchTheLongestListedPrefix()
    {
        var prefixes = File.ReadLines(RealData.PathOf(RealData.EuPrefixes)!).Skip(1)
            .Select(line => line.Split(',')[^1].Trim())
            .Where(prefix => prefix.Length > 0)
            .Distinct()
            .ToList();
        var card = Cards.Card([.. prefixes.Select(prefix => Cards.Entry(prefix, 0.01m))]);

        foreach (var prefix in prefixes)
        {
            var number = prefix + "55512";
            var longest = prefixes.Where(number.StartsWith).MaxBy(candidate => candidate.Length);

            Assert.Equal(longest, card.Find(number, DateTime.Now)!.Prefix);
        }
    }

    [RealDataFact(RealData.AsteriskCdrs)]
    public async Task RealData_AsteriskCdrExport_EveryRowAccountedAndOnlyAnsweredCharged()
    {
        var path = RealData.PathOf(RealData.AsteriskCdrs)!;
        var card = Cards.Card(Cards.Entry("1", 0.01m, initial: 6, increment: 6), Cards.Entry("91", 0.10m));
        var settings = new CdrSettings
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

        var (summary, output) = await Cdrs.Rate(card, settings, await File.ReadAllBytesAsync(path));

        var records = File.ReadLines(path).Skip(1).Count(line => line.Length > 0);
        var rows = Cdrs.Lines(output)[1..].Select(line => line.Split(',')).ToList();
        Assert.Equal(records, summary.Records);
        Assert.Equal(records, rows.Count);
        Assert.Equal(0, summary.Bad);
        Assert.Equal(summary.Records, summary.Rated + summary.Unmatched + summary.Blocked + summary.Skipped + summary.Bad);
        Assert.All(rows.Where(row => row[5] != "ANSWERED"), row => Assert.Equal(("skipped", "0.0000"), (row[7], row[^1])));
        Assert.All(rows.Where(row => row[7] == "rated"), row => Assert.Equal("ANSWERED", row[5]));
    }

    [RealDataFact(RealData.AsteriskCdrs)]
    public async Task RealData_AsteriskCdrExport_RerunIsByteIdentical()
    {
        var input = await File.ReadAllBytesAsync(RealData.PathOf(RealData.AsteriskCdrs)!);
        var card = Cards.Card(Cards.Entry("1", 0.0123m, initial: 30, increment: 6));
        var settings = new CdrSettings
        {
            Format = CdrFormat.Csv,
            Columns = new CdrColumns { Destination = "dst", BilledSeconds = "billsec", Disposition = "disposition", Start = "calldate" },
        };

        var first = await Cdrs.Rate(card, settings, input);
        var second = await Cdrs.Rate(card, settings, input);

        Assert.Equal(Encoding.UTF8.GetBytes(first.Output), Encoding.UTF8.GetBytes(second.Output));
        Assert.True(first.Summary.Rated > 0);
    }
}
