using System.Text;
using Jobs.Rating.Cdrs;

namespace Jobs.Rating.Tests;

/// <summary>Call-record fixtures written by hand in the shapes of the real files.</summary>
internal static class Cdrs
{
    public const string OutputHeader =
        "line,call_id,start,destination,number,disposition,billsec,status,reason,prefix,name,billed_seconds,rate,charge";

    /// <summary>A Master.csv row as Asterisk's cdr_csv writes it: strings quoted, quotes doubled, numbers bare.</summary>
    public static string Master(
        string dst,
        int billsec,
        string disposition = "ANSWERED",
        string start = "2026-03-01 10:00:00",
        string id = "1") =>
        $"\"\",\"1115\",\"{dst}\",\"default\",\"\"\"Caller 1\"\" <1115>\",\"PJSIP/1115-00007221\",\"PJSIP/VIOrig-00000535\","
        + $"\"Dial\",\"PJSIP/{dst}@VIOrig,,XL\",\"{start}\",\"{start}\",\"{start}\",{billsec + 5},{billsec},\"{disposition}\","
        + $"\"DOCUMENTATION\",\"{id}\",\"\"";

    public static RateCard UsCard() => Cards.Card(
        4,
        RoundingMode.HalfUp,
        Cards.Entry("1248", 0.0120m, fee: 0.0100m, initial: 30, increment: 6, name: "US Michigan"),
        Cards.Entry("44", 0.05m, initial: 60, increment: 60, name: "United Kingdom"),
        Cards.Entry("1900", 0.90m, blocked: true, name: "US Premium"));

    public static byte[] Bytes(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

    public static async Task<(CdrSummary Summary, string Output)> Rate(
        RateCard card,
        CdrSettings settings,
        byte[] input,
        CdrRunOptions? options = null)
    {
        using var output = new MemoryStream();
        var summary = await new CdrRerater(card, settings).RateAsync(new MemoryStream(input), output, options);
        return (summary, Encoding.UTF8.GetString(output.ToArray()));
    }

    public static string[] Lines(string output) => output.TrimEnd('\n').Split('\n');
}
