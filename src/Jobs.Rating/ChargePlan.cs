namespace Jobs.Rating;

/// <summary>
/// An entry's charge rule in whole units, worked out once per card so that rating a call is integer arithmetic:
/// charge = (fee + rate × billed / 60) at the card's precision, rounded once.
/// </summary>
/// <remarks>
/// With rate = R / 10^s and fee = F / 10^s, the exact charge in units of 10^-p is
/// (F × 60 + R × billed) × 10^p / (60 × 10^s). Scaling numerator or denominator instead of dividing keeps it exact;
/// the only rounding is the final division.
/// </remarks>
internal readonly struct ChargePlan
{
    private readonly long _rateUnits;
    private readonly long _feeUnitsTimes60;
    private readonly long _scaleUp;
    private readonly long _denominator;
    private readonly int _maxFastBilled;

    public ChargePlan(RateEntry entry, int precision)
    {
        ExactDecimal.Split(entry.Rate, out var rate, out var rateScale);
        ExactDecimal.Split(entry.ConnectionFee, out var fee, out var feeScale);
        var scale = Math.Max(rateScale, feeScale);

        _rateUnits = rate * ExactDecimal.Pow10(scale - rateScale);
        _feeUnitsTimes60 = fee * ExactDecimal.Pow10(scale - feeScale) * 60;
        _scaleUp = ExactDecimal.Pow10(Math.Max(0, precision - scale));
        _denominator = 60 * ExactDecimal.Pow10(Math.Max(0, scale - precision));
        _maxFastBilled = MaxFastBilled(_rateUnits, _feeUnitsTimes60, _scaleUp);
        InitialIncrement = entry.InitialIncrement;
        Increment = entry.Increment;
        Blocked = entry.Blocked;
    }

    public int InitialIncrement { get; }

    public int Increment { get; }

    public bool Blocked { get; }

    /// <summary>The charge for <paramref name="billed"/> seconds, in units of the card's precision.</summary>
    public long ChargeUnits(int billed, RoundingMode rounding)
    {
        if (billed <= _maxFastBilled)
        {
            var numerator = (_feeUnitsTimes60 + (_rateUnits * billed)) * _scaleUp;
            return Rounding.Divide(numerator, _denominator, rounding);
        }

        // Very long calls at high rates: the same sum in 128 bits.
        var wide = ((Int128)_feeUnitsTimes60 + ((Int128)_rateUnits * billed)) * _scaleUp;
        return checked((long)Rounding.Divide(wide, (Int128)_denominator, rounding));
    }

    private static int MaxFastBilled(long rateUnits, long feeUnitsTimes60, long scaleUp)
    {
        var room = (long.MaxValue / scaleUp) - feeUnitsTimes60;
        if (rateUnits == 0)
        {
            return room >= 0 ? int.MaxValue : -1;
        }

        return (int)Math.Clamp(room / rateUnits, -1, int.MaxValue);
    }
}
