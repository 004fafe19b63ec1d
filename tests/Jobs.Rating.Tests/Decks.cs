using Jobs.Rating.Cards;

namespace Jobs.Rating.Tests;

/// <summary>Builds cards from deck text written in the tests.</summary>
internal static class Decks
{
    public static CardSettings Settings(
        string prefix = "Code",
        string rate = "Rate",
        string? name = null,
        string? billing = null,
        string? effective = null,
        string? end = null,
        string? blocked = null,
        string? fee = null,
        int startRow = 1,
        bool strict = false) => new()
        {
            Name = "deck",
            Currency = "EUR",
            StartRow = startRow,
            Strict = strict,
            Columns = new CardColumns
            {
                Prefix = prefix,
                Rate = rate,
                Name = name,
                Billing = billing,
                EffectiveDate = effective,
                EndDate = end,
                Blocked = blocked,
                ConnectionFee = fee,
            },
        };

    public static Task<CardBuildResult> Build(CardSettings settings, params string[] lines) =>
        CardBuilder.BuildAsync(string.Join("\n", lines) + "\n", settings);

    public static string[] Prefixes(CardBuildResult result) => [.. result.Card!.Entries.Select(entry => entry.Prefix)];
}
