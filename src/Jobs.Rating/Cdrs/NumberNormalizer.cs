namespace Jobs.Rating.Cdrs;

/// <summary>
/// Turns a dialed number into E.164 digits (ASCII, no '+') under a <see cref="NumberPlan"/>, without allocating.
/// Anything that is not a dialable external number (extensions, feature codes like *2031127, NULL, short
/// numbers) is reported as internal.
/// </summary>
internal sealed class NumberNormalizer
{
    /// <summary>The most digits read from a dialed number; longer ones are internal.</summary>
    public const int MaxLength = 32;

    /// <summary>The buffer a caller passes: the digits plus room for a country code.</summary>
    public const int BufferLength = MaxLength * 2;

    private const int MinE164Digits = 7;
    private const int MaxE164Digits = 15;

    private readonly byte[] _countryCode;
    private readonly byte[][] _internationalPrefixes;
    private readonly byte[] _trunkPrefix;
    private readonly int _nationalLength;
    private readonly bool _bareIsE164;

    public NumberNormalizer(NumberPlan plan)
    {
        _countryCode = Digits(plan.CountryCode, nameof(plan.CountryCode));
        _trunkPrefix = Digits(plan.TrunkPrefix ?? "", nameof(plan.TrunkPrefix));
        _nationalLength = plan.NationalNumberLength;
        _bareIsE164 = plan.BareNumbersAreE164;

        // Longest first, so 011 is tried before a shorter prefix it starts with.
        _internationalPrefixes = [.. plan.InternationalPrefixes
            .Select(prefix => Digits(prefix, nameof(plan.InternationalPrefixes)))
            .Where(prefix => prefix.Length > 0)
            .OrderByDescending(prefix => prefix.Length)];
    }

    /// <summary>
    /// Writes the E.164 digits of <paramref name="dialed"/> to <paramref name="destination"/> (at least
    /// <see cref="BufferLength"/> bytes) and returns their count, or -1 when the number is internal.
    /// </summary>
    public int Normalize(ReadOnlySpan<byte> dialed, Span<byte> destination)
    {
        var length = Clean(dialed.Trim((byte)' '), destination, out var plus);
        if (length <= 0)
        {
            return -1;
        }

        var digits = destination[..length];
        if (plus)
        {
            return E164(digits);
        }

        foreach (var prefix in _internationalPrefixes)
        {
            if (digits.StartsWith(prefix))
            {
                digits[prefix.Length..].CopyTo(destination);
                return E164(destination[..(length - prefix.Length)]);
            }
        }

        return National(destination, length);
    }

    private int National(Span<byte> destination, int length)
    {
        var digits = destination[..length];
        var trunk = _trunkPrefix.Length;
        if (trunk > 0 && length == trunk + _nationalLength && digits.StartsWith(_trunkPrefix))
        {
            digits[trunk..].CopyTo(destination);
            return WithCountryCode(destination, _nationalLength);
        }

        if (length == _nationalLength)
        {
            return WithCountryCode(destination, length);
        }

        // Already with the country code, as North American switches log 1 + ten digits.
        if (length == _countryCode.Length + _nationalLength && digits.StartsWith(_countryCode))
        {
            return length;
        }

        return _bareIsE164 ? E164(digits) : -1;
    }

    private int WithCountryCode(Span<byte> destination, int length)
    {
        destination[..length].CopyTo(destination[_countryCode.Length..]);
        _countryCode.CopyTo(destination);
        return E164(destination[..(length + _countryCode.Length)]);
    }

    private static int E164(ReadOnlySpan<byte> digits) =>
        digits.Length is >= MinE164Digits and <= MaxE164Digits && digits[0] != (byte)'0' ? digits.Length : -1;

    /// <summary>Copies the digits, dropping the punctuation people write numbers with; -1 for anything else.</summary>
    private static int Clean(ReadOnlySpan<byte> dialed, Span<byte> destination, out bool plus)
    {
        plus = dialed.Length > 0 && dialed[0] == (byte)'+';
        var length = 0;
        foreach (var character in plus ? dialed[1..] : dialed)
        {
            if (character is (byte)' ' or (byte)'-' or (byte)'.' or (byte)'(' or (byte)')')
            {
                continue;
            }

            if (!char.IsAsciiDigit((char)character) || length == MaxLength)
            {
                return -1;
            }

            destination[length++] = character;
        }

        return length;
    }

    private static byte[] Digits(string text, string setting)
    {
        var trimmed = text.Trim();
        if (!trimmed.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"Number plan {setting} '{text}' must be digits.", setting);
        }

        return System.Text.Encoding.ASCII.GetBytes(trimmed);
    }
}
