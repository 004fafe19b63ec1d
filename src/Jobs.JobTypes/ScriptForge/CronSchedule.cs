using Cronos;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// A cron expression with second precision, read in an IANA time zone: when a schedule's occurrences fall.
/// Six fields (second, minute, hour, day of month, month, day of week) or five (no seconds: second 0); Cronos's
/// syntax (<c>*</c>, lists, ranges, steps, <c>L</c>, <c>W</c>, <c>#</c>, <c>?</c>, macros such as <c>@daily</c>).
/// </summary>
/// <remarks>
/// Daylight-saving changes follow Cronos, verified by tests against Europe/Paris and America/New_York:
/// <list type="bullet">
/// <item><b>Gap</b> (clocks go forward, a local hour does not exist): an occurrence whose local time falls in the
/// gap runs once, at the first instant after it (Paris, 29 March 2026: <c>0 30 2 * * *</c> runs at 03:00 CEST,
/// 01:00 UTC). Several occurrences in the gap become that one run, as does an occurrence right at its end.</item>
/// <item><b>Repeat</b> (clocks go back, a local hour happens twice): an expression whose second, minute or hour
/// field is an interval (<c>*</c>, a range such as <c>1-3</c>, or a step such as <c>*/15</c>) runs in both
/// passes of the hour. One whose second, minute and hour fields are all fixed values or lists runs once, in the
/// first pass, at the summer offset (Paris, 25 October 2026: <c>0 30 2 * * *</c> runs at 02:30 CEST, 00:30 UTC,
/// not again at 02:30 CET).</item>
/// </list>
/// </remarks>
public sealed class CronSchedule
{
    private static readonly string[] SixFieldNames = ["second", "minute", "hour", "day of month", "month", "day of week"];
    private static readonly string[] CronosFieldLabels = ["Seconds", "Minutes", "Hours", "Days of month", "Months", "Days of week"];

    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private CronSchedule(string expression, CronExpression parsed, TimeZoneInfo zone)
    {
        Expression = expression;
        _expression = parsed;
        _zone = zone;
    }

    /// <summary>The expression as written.</summary>
    public string Expression { get; }

    /// <summary>The IANA id of the zone the expression is read in.</summary>
    public string TimeZone => _zone.Id;

    /// <summary>Parses a cron expression and an IANA time zone id.</summary>
    /// <exception cref="CronScheduleException">Either is invalid; the message names the field and its position.</exception>
    public static CronSchedule Parse(string expression, string timeZone)
    {
        var zone = FindZone(timeZone);
        var parsed = ParseExpression(expression);
        return new CronSchedule(expression, parsed, zone);
    }

    /// <summary>Like <see cref="Parse"/>, with the problem as a field name ("cron" or "timeZone") and message.</summary>
    public static bool TryParse(string expression, string timeZone, out CronSchedule? schedule, out CronScheduleException? error)
    {
        try
        {
            schedule = Parse(expression, timeZone);
            error = null;
            return true;
        }
        catch (CronScheduleException exception)
        {
            schedule = null;
            error = exception;
            return false;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC; null if there is none.</summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after.ToUniversalTime(), _zone, inclusive: false)?.ToUniversalTime();

    /// <summary>
    /// The latest occurrence after <paramref name="after"/> (exclusive) and up to <paramref name="upTo"/>
    /// (inclusive), in UTC; null if there is none. It looks back from <paramref name="upTo"/> in growing windows, so
    /// a long gap over a frequent expression costs about as much as a short one.
    /// </summary>
    public DateTimeOffset? GetLatestOccurrence(DateTimeOffset after, DateTimeOffset upTo)
    {
        var span = TimeSpan.FromMinutes(1);
        while (true)
        {
            var from = upTo - after > span ? upTo - span : after;
            DateTimeOffset? latest = null;
            foreach (var occurrence in _expression.GetOccurrences(from, upTo, _zone, fromInclusive: false, toInclusive: true))
            {
                latest = occurrence;
            }

            if (latest is not null || from == after)
            {
                return latest?.ToUniversalTime();
            }

            span *= 8;
        }
    }

    public override string ToString() => $"{Expression} ({TimeZone})";

    private static TimeZoneInfo FindZone(string timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            throw new CronScheduleException("timeZone", "must be an IANA time zone id, for example Europe/Paris or UTC");
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
            if (!zone.HasIanaId)
            {
                throw new CronScheduleException("timeZone", $"'{timeZone}' is not an IANA time zone id (for example Europe/Paris)");
            }

            return zone;
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new CronScheduleException("timeZone", $"'{timeZone}' is not a known IANA time zone id");
        }
    }

    private static CronExpression ParseExpression(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            throw new CronScheduleException("cron", "must be a cron expression, for example '0 */5 * * * *' (every five minutes)");
        }

        var text = expression.Trim();
        if (text.StartsWith('@'))
        {
            return ParseWhole(text, text);
        }

        var fields = Split(expression);
        if (fields.Count is not (5 or 6))
        {
            throw new CronScheduleException("cron",
                $"has {fields.Count} fields; it needs 6 (second minute hour day-of-month month day-of-week) or 5 (no seconds)");
        }

        var names = fields.Count == 6 ? SixFieldNames : SixFieldNames[1..];
        var tokens = fields.Select(field => field.Text).ToList();
        if (fields.Count == 5)
        {
            tokens.Insert(0, "0");
        }

        // Each field alone among wildcards, so the error names the one that is wrong and where it starts.
        for (var i = 0; i < fields.Count; i++)
        {
            var probe = Enumerable.Repeat("*", 6).ToArray();
            probe[i + (6 - fields.Count)] = fields[i].Text;
            if (!TryParseCron(string.Join(' ', probe), out _, out var problem))
            {
                throw new CronScheduleException("cron",
                    $"field {i + 1} ({names[i]}) '{fields[i].Text}' at position {fields[i].Position} is invalid: {problem}");
            }
        }

        return ParseWhole(string.Join(' ', tokens), text);
    }

    private static CronExpression ParseWhole(string cron, string original)
    {
        if (!TryParseCron(cron, out var parsed, out var problem))
        {
            throw new CronScheduleException("cron", $"'{original}' is invalid: {problem}");
        }

        return parsed!;
    }

    private static bool TryParseCron(string cron, out CronExpression? parsed, out string problem)
    {
        try
        {
            parsed = CronExpression.Parse(cron, CronFormat.IncludeSeconds);
            problem = "";
            return true;
        }
        catch (CronFormatException exception)
        {
            parsed = null;

            // Cronos says "The given cron expression has an invalid format. Hours: Value must be…"; the caller names
            // the field itself, so keep only what is wrong with it.
            var detail = exception.Message.Replace("The given cron expression has an invalid format. ", "", StringComparison.Ordinal);
            var label = CronosFieldLabels.FirstOrDefault(label => detail.StartsWith(label + ": ", StringComparison.Ordinal));
            detail = label is null ? detail : detail[(label.Length + 2)..];
            problem = detail.Length > 0 ? char.ToLowerInvariant(detail[0]) + detail[1..].TrimEnd('.') : detail;
            return false;
        }
    }

    private static List<(string Text, int Position)> Split(string text)
    {
        var fields = new List<(string, int)>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var blank = i == text.Length || char.IsWhiteSpace(text[i]);
            if (!blank && start < 0)
            {
                start = i;
            }
            else if (blank && start >= 0)
            {
                fields.Add((text[start..i], start + 1));
                start = -1;
            }
        }

        return fields;
    }
}

/// <summary>An invalid cron expression or time zone. <see cref="Field"/> is <c>cron</c> or <c>timeZone</c>.</summary>
public sealed class CronScheduleException(string field, string message) : FormatException($"{field} {message}")
{
    public string Field { get; } = field;

    /// <summary>The problem without the field's name, for validation results keyed by field.</summary>
    public string Problem { get; } = message;
}
