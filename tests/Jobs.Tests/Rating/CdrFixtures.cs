using System.Globalization;
using System.Text;

namespace Jobs.Tests.Rating;

/// <summary>Call-record files in the shapes of real exports, written for these tests.</summary>
public static class CdrFixtures
{
    /// <summary>
    /// An Asterisk Master.csv (no header) with one record of each kind, rated by hand against
    /// <see cref="CardJobTests.Deck"/>: 3 rated (0.0084 + 0.0600 + 0.0100), 1 unmatched (France was rejected from the
    /// deck), 3 skipped (unanswered, internal, no seconds) and 1 bad.
    /// </summary>
    public static string Master() => string.Concat(
        MasterRow("2484361721", 37, "ANSWERED", "2026-03-01 10:00:00", "c1"),
        MasterRow("011442071234567", 61, "ANSWERED", "2026-03-01 10:05:00", "c2"),
        MasterRow("2484361721", 12, "NO ANSWER", "2026-03-01 10:06:00", "c3"),
        MasterRow("1115", 20, "ANSWERED", "2026-03-01 10:07:00", "c4"),
        MasterRow("0114930123456", 30, "ANSWERED", "2026-03-01 10:08:00", "c5"),
        MasterRow("011339999999", 30, "ANSWERED", "2026-03-01 10:09:00", "c6"),
        MasterRow("2484361721", 37, "ANSWERED", "2026-03-01 10:10:00", "c7").Replace(",37,", ",abc,", StringComparison.Ordinal),
        MasterRow("2484361721", 0, "ANSWERED", "2026-03-01 10:11:00", "c8"));

    /// <summary>A Master.csv row as Asterisk's cdr_csv writes it (strings quoted, numbers bare, uniqueid on).</summary>
    public static string MasterRow(string dst, int billsec, string disposition, string start, string id) =>
        $"\"\",\"1115\",\"{dst}\",\"default\",\"\"\"Caller 1\"\" <1115>\",\"PJSIP/1115-00007221\",\"PJSIP/VIOrig-00000535\","
        + $"\"Dial\",\"PJSIP/{dst}@VIOrig,,XL\",\"{start}\",\"{start}\",\"{start}\",{billsec + 5},{billsec},\"{disposition}\","
        + $"\"DOCUMENTATION\",\"{id}\",\"\"\n";

    /// <summary>
    /// A headed export like the real Asterisk table dump (columns in its order, extra columns ignored), with no bad
    /// row: 4 records, 2 rated (0.0084 + 0.1000 at 44's 60/60 for 61 s), 1 skipped, 1 unmatched.
    /// </summary>
    public const string Headed = """
        AcctId,tenant,dst,calldate,duration,billsec,disposition,uniqueid
        1,NULL,2484361721,"2026-03-02 20:19:34",42,37,ANSWERED,1543540774.0
        2,NULL,011441612345678,"2026-03-02 20:25:00",66,61,ANSWERED,1543540775.1
        3,NULL,2484361721,"2026-03-02 20:30:00",15,0,NO ANSWER,1543540776.2
        4,NULL,0118613800000000,"2026-03-02 21:00:00",15,10,ANSWERED,1543540777.3

        """;

    /// <summary>The column mapping of <see cref="Headed"/>.</summary>
    public static object HeadedColumns => new
    {
        destination = "dst", billedSeconds = "billsec", disposition = "disposition", start = "calldate", callId = "uniqueid",
    };

    /// <summary>
    /// A headed CSV of <paramref name="calls"/> calls to numbers the acme deck covers, with random seconds and
    /// dispositions, the same for the same seed.
    /// </summary>
    public static byte[] Generated(int calls, int seed = 7)
    {
        string[] numbers = ["2484361721", "2485269767", "011442071234567", "0114930123456", "011339999999", "1115", "19005550100"];
        var random = new Random(seed);
        var text = new StringBuilder("id,dst,start,billsec,disposition\n", calls * 48);
        var start = new DateTime(2026, 3, 1);
        for (var i = 0; i < calls; i++)
        {
            var answered = random.Next(10) < 7;
            text.Append('g').Append(i.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(numbers[random.Next(numbers.Length)]).Append(',')
                .Append(start.AddSeconds(i * 7).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(',')
                .Append(answered ? 1 + random.Next(600) : 0).Append(',')
                .Append(answered ? "ANSWERED" : "NO ANSWER").Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The column mapping of <see cref="Generated"/>.</summary>
    public static object GeneratedColumns => new
    {
        destination = "dst", billedSeconds = "billsec", disposition = "disposition", start = "start", callId = "id",
    };
}
