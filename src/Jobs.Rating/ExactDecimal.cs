namespace Jobs.Rating;

/// <summary>Decimal as an exact integer of units and a scale, trailing zeros removed.</summary>
internal static class ExactDecimal
{
    private static readonly long[] PowersOfTen = BuildPowers();

    /// <summary>The number of significant decimal places of a value (0.0120 has 3).</summary>
    public static int Scale(decimal value)
    {
        Trim(value, out var scale);
        return scale;
    }

    /// <summary>10 to the power <paramref name="exponent"/>, for 0 to 18.</summary>
    public static long Pow10(int exponent) => PowersOfTen[exponent];

    /// <summary>
    /// Splits a non-negative value into whole units and scale, value = units / 10^scale, with the fewest decimal
    /// places. The value must fit 64-bit units at that scale (the card's limits guarantee it).
    /// </summary>
    public static void Split(decimal value, out long units, out int scale)
    {
        units = checked((long)Trim(value, out scale));
    }

    private static UInt128 Trim(decimal value, out int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var low = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        scale = (bits[3] >> 16) & 0xFF;
        if (bits[2] == 0)
        {
            // Nearly every amount fits 64 bits, where division is a single instruction.
            while (scale > 0 && low % 10 == 0)
            {
                low /= 10;
                scale--;
            }

            return low;
        }

        var raw = new UInt128((uint)bits[2], low);
        while (scale > 0 && raw % 10 == 0)
        {
            raw /= 10;
            scale--;
        }

        return raw;
    }

    /// <summary>A decimal of <paramref name="units"/> at <paramref name="scale"/> places, keeping trailing zeros.</summary>
    public static decimal FromUnits(long units, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        return new decimal((int)units, (int)(units >> 32), 0, false, (byte)scale);
    }

    private static long[] BuildPowers()
    {
        var powers = new long[19];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
