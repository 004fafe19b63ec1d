namespace Jobs.Rating.Tests;

/// <summary>Small hand-made cards for the rating tests.</summary>
internal static class Cards
{
    public static RateEntry Entry(
        string prefix,
        decimal rate,
        decimal fee = 0m,
        int initial = 1,
        int increment = 1,
        DateOnly? from = null,
        DateOnly? to = null,
        bool blocked = false,
        string name = "") =>
        new(prefix, name, rate, fee, initial, increment, from, to, blocked);

    public static RateCard Card(int precision, RoundingMode rounding, params RateEntry[] entries) =>
        RateCard.Create(new CardTerms("test", "USD", precision, rounding), entries);

    public static RateCard Card(params RateEntry[] entries) => Card(4, RoundingMode.HalfUp, entries);
}
