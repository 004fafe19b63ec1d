using CsvHelper;

namespace Jobs.Rating.Text;

/// <summary>
/// Reader options shared by decks and call records. CsvHelper 34 reads UTF-8 in place, gives every record's
/// line and byte offset, and recovers from the odd quoting of real exports (a clid written as
/// <c>""Caller 3" &lt;1142&gt;"</c>) without losing field boundaries, which Sylvan.Data.Csv 1.4.4 refuses.
/// </summary>
internal static class CsvInput
{
    /// <summary>Options for a reader that sees every record, well-formed or not, and never skips one.</summary>
    public static CsvReaderOptions Options() => new()
    {
        Separator = ',',
        HasHeader = false,
        TrackLineNumbers = true,

        // One line is one record: a stray quote cannot swallow the lines after it, and a line break always ends a
        // record, which is what lets byte ranges split a file exactly.
        AllowLineBreaksInQuotes = false,
        SkipEmptyLines = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
    };

    /// <summary>Every field of the current record as trimmed strings.</summary>
    public static string[] Fields(CsvReader reader) => Fields(reader, null);

    /// <summary>
    /// The fields of the current record as trimmed strings, only those <paramref name="wanted"/> (by position,
    /// null for all); the others read as empty, which spares a string per unused cell of a large deck.
    /// </summary>
    public static string[] Fields(CsvReader reader, bool[]? wanted)
    {
        var fields = new string[reader.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            var read = wanted is null || (i < wanted.Length && wanted[i]);
            fields[i] = read ? (reader.GetString(i) ?? "").Trim() : "";
        }

        return fields;
    }

    /// <summary>Whether every field of the current record is empty or spaces.</summary>
    public static bool IsBlank(CsvReader reader)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (!reader.GetSpan(i).Trim(" \t"u8).IsEmpty)
            {
                return false;
            }
        }

        return true;
    }
}
