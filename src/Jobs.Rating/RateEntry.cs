namespace Jobs.Rating;

/// <summary>
/// One rate of a rate card: what a call to numbers starting with <see cref="Prefix"/> costs while the entry is in
/// force. Effective dates are calendar days: the entry is in force from the start of
/// <see cref="EffectiveFrom"/> (inclusive) until the start of <see cref="EffectiveTo"/> (exclusive); a missing
/// date is open.
/// </summary>
/// <param name="Prefix">The dial prefix, E.164 digits without '+'.</param>
/// <param name="Name">The destination's name as the deck gives it; may be empty.</param>
/// <param name="Rate">Charge per minute, exact.</param>
/// <param name="ConnectionFee">Charge once per answered call, exact.</param>
/// <param name="InitialIncrement">Seconds billed at least, for any answered call.</param>
/// <param name="Increment">Seconds each later step bills.</param>
/// <param name="EffectiveFrom">First day in force, or null for always.</param>
/// <param name="EffectiveTo">First day no longer in force, or null for never ending.</param>
/// <param name="Blocked">Calls to the prefix are not carried: they are reported, never charged.</param>
public sealed record RateEntry(
    string Prefix,
    string Name,
    decimal Rate,
    decimal ConnectionFee,
    int InitialIncrement,
    int Increment,
    DateOnly? EffectiveFrom,
    DateOnly? EffectiveTo,
    bool Blocked)
{
    /// <summary>The first moment in force, as ticks; <see cref="long.MinValue"/> when open.</summary>
    internal long FromTicks => EffectiveFrom is { } from ? from.ToDateTime(TimeOnly.MinValue).Ticks : long.MinValue;

    /// <summary>The first moment no longer in force, as ticks; <see cref="long.MaxValue"/> when open.</summary>
    internal long ToTicks => EffectiveTo is { } to ? to.ToDateTime(TimeOnly.MinValue).Ticks : long.MaxValue;

    /// <summary>Whether the entry is in force at <paramref name="at"/> (a call's start, as written).</summary>
    public bool IsInForceAt(DateTime at) => FromTicks <= at.Ticks && at.Ticks < ToTicks;

    /// <summary>Whether the entry and <paramref name="other"/> are in force on some common day.</summary>
    public bool Overlaps(RateEntry other) => FromTicks < other.ToTicks && other.FromTicks < ToTicks;

    /// <summary>
    /// Whether a call would be charged the same under both entries: rate, fee, increments and blocking. Names are
    /// cosmetic and do not count.
    /// </summary>
    public bool ChargesLike(RateEntry other) =>
        Rate == other.Rate
        && ConnectionFee == other.ConnectionFee
        && InitialIncrement == other.InitialIncrement
        && Increment == other.Increment
        && Blocked == other.Blocked;
}
