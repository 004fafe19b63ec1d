using System.Globalization;

namespace Jobs.Rating.Cards;

/// <summary>Parsers for the cells of real decks, each tolerant of the forms carriers actually send.</summary>
internal static class DeckCells
{
    /// <summary>The most codes one range may expand to; a wider range is almost surely a typo.</summary>
    public const int MaxRangeCodes = 10_000;

    /// <summary>The longest prefix accepted: E.164 numbers have at most 15 digits.</summary>
    public const int MaxPrefixDigits = 15;

    /// <summary>The longest increment accepted, seconds.</summary>
    public const int MaxIncrement = 3600;

    private static readonly char[] CodeSeparators = [',', ';', '|'];
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy", "yyyy/MM/dd"];
    private static readonly string[] TrueFlags = ["x", "y", "yes", "true", "1", "blocked"];
    private static readonly string[] FalseFlags = ["", "n", "no", "false", "0"];

    /// <summary>
    /// Expands a prefix cell ("+44", "0049152, 49162", "447400-447409") into codes with <paramref name="prepend"/>
    /// in front of each. Commas, semicolons, bars and spaces separate codes; a leading + or 00 is dropped.
    /// Returns a problem, or null when every code is valid.
    /// </summary>
    public static string? ExpandCodes(string cell, string prepend, List<string> codes)
    {
        if (IsDigits(cell))
        {
            // The common cell, one plain code, skips the splitting below.
            return AddCode(StripInternational(cell), prepend, codes);
        }

        foreach (var item in cell.Split(CodeSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // Spaces around a range's dash or after a '+' belong to the code; any other space separates codes.
            var joined = item.Replace(" -", "-", StringComparison.Ordinal).Replace("- ", "-", StringComparison.Ordinal)
                .Replace("+ ", "+", StringComparison.Ordinal);
            foreach (var token in joined.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (ExpandToken(token, prepend, codes) is { } problem)
                {
                    return problem;
                }
            }
        }

        return codes.Count == 0 ? "empty prefix" : null;
    }

    /// <summary>Parses a non-negative amount ("0.0120", "1.5E-3"); thousands separators are not accepted.</summary>
    public static string? ParseAmount(string cell, out decimal value)
    {
        const NumberStyles Styles = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite
            | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

        if (!decimal.TryParse(cell, Styles, CultureInfo.InvariantCulture, out value))
        {
            return $"'{cell}' is not a number";
        }

        if (value < 0 || value > RateCard.MaxAmount)
        {
            return $"{value} is outside 0 to {RateCard.MaxAmount}";
        }

        return ExactDecimal.Scale(value) > RateCard.MaxAmountDecimals
            ? $"{value} has more than {RateCard.MaxAmountDecimals} decimal places"
            : null;
    }

    /// <summary>Parses a count of seconds between 1 and <see cref="MaxIncrement"/>.</summary>
    public static string? ParseSeconds(string cell, out int seconds)
    {
        if (!int.TryParse(cell.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
        {
            return $"'{cell}' is not a whole number of seconds";
        }

        return seconds is < 1 or > MaxIncrement ? $"{seconds} seconds is outside 1 to {MaxIncrement}" : null;
    }

    /// <summary>Parses a billing cell: "30/6" (initial/subsequent) or a single "60" for both.</summary>
    public static string? ParseBilling(string cell, out int initial, out int increment)
    {
        var parts = cell.Split('/', StringSplitOptions.TrimEntries);
        initial = 0;
        increment = 0;

        // A single number is both increments: parts[^1] is then parts[0].
        var valid = parts.Length <= 2
            && ParseSeconds(parts[0], out initial) is null
            && ParseSeconds(parts[^1], out increment) is null;
        return valid ? null : $"'{cell}' is not initial/subsequent seconds like 30/6";
    }

    /// <summary>Parses a date written 2026-09-23 or 23/09/2026 (day first, as decks outside the US write it).</summary>
    public static string? ParseDate(string cell, out DateOnly date) =>
        DateOnly.TryParseExact(cell.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            ? null
            : $"'{cell}' is not a date like 2026-09-23 or 23/09/2026";

    /// <summary>Parses a blocked flag; empty means not blocked.</summary>
    public static string? ParseFlag(string cell, out bool blocked)
    {
        var value = cell.Trim();
        blocked = TrueFlags.Contains(value, StringComparer.OrdinalIgnoreCase);
        return blocked || FalseFlags.Contains(value, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"'{cell}' is not a yes/no flag";
    }

    private static string? ExpandToken(string token, string prepend, List<string> codes)
    {
        var dash = token.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return AddCode(StripInternational(token), prepend, codes);
        }

        var first = StripInternational(token[..dash]);
        var last = StripInternational(token[(dash + 1)..]);
        return ExpandRange(token, first, last, prepend, codes);
    }

    private static string? ExpandRange(string token, string first, string last, string prepend, List<string> codes)
    {
        if (!IsDigits(first) || !IsDigits(last) || first.Length != last.Length
            || prepend.Length + first.Length > MaxPrefixDigits)
        {
            return $"range '{token}' must join two codes of the same length";
        }

        var from = long.Parse(first, CultureInfo.InvariantCulture);
        var to = long.Parse(last, CultureInfo.InvariantCulture);
        if (to < from || to - from >= MaxRangeCodes)
        {
            return $"range '{token}' must run upward and hold at most {MaxRangeCodes} codes";
        }

        var format = new string('0', first.Length);
        for (var code = from; code <= to; code++)
        {
            codes.Add(prepend + code.ToString(format, CultureInfo.InvariantCulture));
        }

        return null;
    }

    private static string? AddCode(string code, string prepend, List<string> codes)
    {
        if (!IsDigits(code))
        {
            return $"prefix '{code}' is not digits";
        }

        var full = prepend + code;
        if (full.Length > MaxPrefixDigits)
        {
            return $"prefix '{full}' is longer than {MaxPrefixDigits} digits";
        }

        codes.Add(full);
        return null;
    }

    private static string StripInternational(string code)
    {
        // '+' and the international prefix 00 only say "this is already a country code".
        if (code.StartsWith('+'))
        {
            return code[1..];
        }

        return code.StartsWith("00", StringComparison.Ordinal) ? code[2..] : code;
    }

    private static bool IsDigits(string text) => text.Length > 0 && !text.AsSpan().ContainsAnyExceptInRange('0', '9');
}
