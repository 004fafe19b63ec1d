namespace Jobs.Rating;

/// <summary>What a rate card is and how its charges are rounded.</summary>
/// <param name="Name">The card's name.</param>
/// <param name="Currency">ISO 4217 code of its rates and charges, e.g. USD.</param>
/// <param name="Precision">Decimal places of every charge, 0 to 8.</param>
/// <param name="Rounding">How each call's charge is rounded, once, to <paramref name="Precision"/>.</param>
public sealed record CardTerms(
    string Name,
    string Currency,
    int Precision = CardTerms.DefaultPrecision,
    RoundingMode Rounding = RoundingMode.HalfUp)
{
    /// <summary>Decimal places of a charge when the card does not say.</summary>
    public const int DefaultPrecision = 4;

    /// <summary>The most decimal places a charge may have, so that charges fit exact 64-bit arithmetic.</summary>
    public const int MaxPrecision = 8;
}
