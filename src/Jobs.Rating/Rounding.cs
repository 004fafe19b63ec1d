using System.Numerics;

namespace Jobs.Rating;

/// <summary>Exact rounding of non-negative quantities, the one place where a charge loses digits.</summary>
public static class Rounding
{
    /// <summary>
    /// Divides <paramref name="numerator"/> by <paramref name="denominator"/> and rounds the exact quotient to a
    /// whole number with <paramref name="mode"/>. Both must be non-negative and the denominator positive.
    /// </summary>
    public static T Divide<T>(T numerator, T denominator, RoundingMode mode)
        where T : IBinaryInteger<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);

        var (quotient, remainder) = T.DivRem(numerator, denominator);
        if (T.IsZero(remainder))
        {
            return quotient;
        }

        return RoundsAway(quotient, remainder, denominator, mode) ? quotient + T.One : quotient;
    }

    /// <summary>
    /// Rounds a non-negative decimal to <paramref name="decimals"/> places with <paramref name="mode"/>.
    /// Used for derived rates (averages, profits); charges go through <see cref="Divide{T}"/>.
    /// </summary>
    public static decimal Round(decimal value, int decimals, RoundingMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 28);

        return mode switch
        {
            RoundingMode.HalfUp => decimal.Round(value, decimals, MidpointRounding.AwayFromZero),
            RoundingMode.HalfEven => decimal.Round(value, decimals, MidpointRounding.ToEven),
            RoundingMode.Up => decimal.Round(value, decimals, MidpointRounding.ToPositiveInfinity),
            RoundingMode.Down => decimal.Round(value, decimals, MidpointRounding.ToZero),
            RoundingMode.HalfDown => RoundHalfDown(value, decimals),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown rounding mode."),
        };
    }

    private static bool RoundsAway<T>(T quotient, T remainder, T denominator, RoundingMode mode)
        where T : IBinaryInteger<T>
    {
        // Compare twice the remainder with the denominator: below is under a half, equal is an exact half.
        var twice = remainder + remainder;
        return mode switch
        {
            RoundingMode.Up => true,
            RoundingMode.Down => false,
            RoundingMode.HalfUp => twice >= denominator,
            RoundingMode.HalfDown => twice > denominator,
            RoundingMode.HalfEven => twice > denominator || (twice == denominator && !T.IsEvenInteger(quotient)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown rounding mode."),
        };
    }

    private static decimal RoundHalfDown(decimal value, int decimals)
    {
        // .NET has no half-down midpoint rule: round half-up, then step back when the value was exactly a half.
        var up = decimal.Round(value, decimals, MidpointRounding.AwayFromZero);
        var down = decimal.Round(value, decimals, MidpointRounding.ToZero);
        return up - value == value - down ? down : up;
    }
}
