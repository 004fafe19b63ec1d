using System.Globalization;
using System.Text;
using Jobs.Files;
using Jobs.Handlers;
using Jobs.JobTypes.Rating;
using Jobs.Rating.Cards;

namespace Jobs.JobTypes.Card;

/// <summary>
/// Reports a deck's rejected rows: every one in a CSV file (<c>line,column,reason</c>) stored for the job's tenant,
/// and the first few in the job's log, then a count.
/// </summary>
internal static class RejectedRows
{
    public const string Header = "line,column,reason";

    /// <summary>Logs and stores the rows; returns the file's id, or null when no row was rejected.</summary>
    public static async Task<Guid?> ReportAsync(
        JobContext context,
        IFileStore files,
        string cardName,
        IReadOnlyList<RejectedRow> rejected,
        int logged,
        CancellationToken cancellationToken)
    {
        if (rejected.Count == 0)
        {
            return null;
        }

        var stored = await files.SaveAsync(
            context.Tenant, FileName(cardName), "text/csv", new MemoryStream(Csv(rejected)), cancellationToken);
        foreach (var row in rejected.Take(logged))
        {
            context.Log($"Rejected {row}", "warn");
        }

        var more = rejected.Count > logged ? $"{rejected.Count - logged:N0} more, " : "";
        context.Log($"{rejected.Count:N0} row(s) rejected ({more}all in file {stored.Id})", "warn");
        return stored.Id;
    }

    public static byte[] Csv(IReadOnlyList<RejectedRow> rejected)
    {
        var text = new StringBuilder(Header.Length + 1 + (rejected.Count * 64));
        text.Append(Header).Append('\n');
        foreach (var row in rejected)
        {
            CsvText.AppendRow(text, row.Line.ToString(CultureInfo.InvariantCulture), row.Column, row.Reason);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string FileName(string cardName)
    {
        var safe = new string([.. cardName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return $"{safe[..Math.Min(safe.Length, 200)]}-rejected.csv";
    }
}
