using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Jobs.Rating.Cdrs;

/// <summary>
/// Reads a call's start as the switch wrote it. Times are wall-clock as written: no time zone is applied, and an
/// offset, if present, is ignored, so re-rating gives the same answer on any machine.
/// </summary>
internal static class CallTime
{
    private const int MinEpochDigits = 9;

    /// <summary>
    /// Parses "2018-11-29 20:19:34" (Asterisk's format, also with 'T' and fractions of a second) quickly, and other
    /// ISO-like or day-first forms and Unix epoch seconds more slowly.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTime value)
    {
        text = text.Trim((byte)' ');
        return TryParseAsterisk(text, out value) || TryParseEpoch(text, out value) || TryParseOther(text, out value);
    }

    private static bool TryParseAsterisk(ReadOnlySpan<byte> text, out DateTime value)
    {
        value = default;
        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || (text[10] != ' ' && text[10] != 'T')
            || text[13] != ':' || text[16] != ':' || (text.Length > 19 && text[19] != '.'))
        {
            return false;
        }

        if (!(Number(text, 0, 4, out var year) && Number(text, 5, 2, out var month) && Number(text, 8, 2, out var day)
            && Number(text, 11, 2, out var hour) && Number(text, 14, 2, out var minute) && Number(text, 17, 2, out var second)))
        {
            return false;
        }

        var valid = month is >= 1 and <= 12 && day >= 1 && year >= 1 && day <= DateTime.DaysInMonth(year, month)
            && hour < 24 && minute < 60 && second < 60;
        value = valid ? new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified) : default;
        return valid;
    }

    private static bool TryParseEpoch(ReadOnlySpan<byte> text, out DateTime value)
    {
        value = default;
        var dot = text.IndexOf((byte)'.');
        var whole = dot < 0 ? text : text[..dot];
        if (whole.Length < MinEpochDigits || !Utf8Parser.TryParse(whole, out long seconds, out var used) || used != whole.Length)
        {
            return false;
        }

        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds).DateTime;
        return true;
    }

    private static bool TryParseOther(ReadOnlySpan<byte> text, out DateTime value)
    {
        value = default;
        if (text.Length is 0 or > 64)
        {
            return false;
        }

        Span<char> chars = stackalloc char[64];
        var count = Encoding.UTF8.GetChars(text, chars);
        if (!DateTimeOffset.TryParse(chars[..count], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        value = DateTime.SpecifyKind(parsed.DateTime, DateTimeKind.Unspecified);
        return true;
    }

    private static bool Number(ReadOnlySpan<byte> text, int start, int length, out int value)
    {
        value = 0;
        foreach (var character in text.Slice(start, length))
        {
            var digit = character - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
