using System.Text;

namespace Jobs.JobTypes.Rating;

/// <summary>Writes CSV fields as RFC 4180 says: quoted when they hold a comma, a quote or a line break.</summary>
internal static class CsvText
{
    public static void AppendRow(StringBuilder builder, params string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            var field = fields[i] ?? "";
            if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                builder.Append(field);
                continue;
            }

            builder.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }

        builder.Append('\n');
    }
}
