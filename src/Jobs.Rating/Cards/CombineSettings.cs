using System.Text.Json.Serialization;

namespace Jobs.Rating.Cards;

/// <summary>Which rate of several cards a combined card takes for a prefix.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CombineStrategy>))]
public enum CombineStrategy
{
    /// <summary>The lowest rate per minute (the first card wins a tie).</summary>
    [JsonStringEnumMemberName("cheapest")]
    Cheapest,

    /// <summary>The highest rate per minute (the first card wins a tie).</summary>
    [JsonStringEnumMemberName("dearest")]
    Dearest,

    /// <summary>The mean of the rates and of the connection fees of the cards that cover the prefix.</summary>
    [JsonStringEnumMemberName("average")]
    Average,
}

/// <summary>How a profit changes a rate per minute.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProfitKind>))]
public enum ProfitKind
{
    /// <summary>Adds the amount: 0.0120 + 0.0030.</summary>
    [JsonStringEnumMemberName("absolute")]
    Absolute,

    /// <summary>Multiplies by the amount: 0.0120 × 1.25.</summary>
    [JsonStringEnumMemberName("multiplier")]
    Multiplier,

    /// <summary>Adds the amount in percent: 0.0120 + 25 %.</summary>
    [JsonStringEnumMemberName("percent")]
    Percent,
}

/// <summary>
/// A profit on the prefixes matching <see cref="Pattern"/>: digits with an optional trailing '*' ("44*" is every
/// prefix starting with 44, "44" is prefix 44 alone, "*" is all). Globs, not regular expressions: prefixes are
/// digits, and a glob cannot be mistyped into something slow or surprising. The most specific matching rule
/// applies (more digits first; an exact pattern before a '*' one of the same digits).
/// </summary>
/// <param name="Pattern">Which prefixes.</param>
/// <param name="Kind">Absolute, multiplier or percent.</param>
/// <param name="Amount">Non-negative.</param>
public sealed record ProfitRule(
    [property: JsonPropertyName("pattern")] string Pattern,
    [property: JsonPropertyName("kind")] ProfitKind Kind,
    [property: JsonPropertyName("amount")] decimal Amount)
{
    /// <summary>Whether the rule applies to <paramref name="prefix"/>.</summary>
    public bool Matches(string prefix) =>
        IsWildcard ? prefix.StartsWith(Digits, StringComparison.Ordinal) : prefix == Digits;

    /// <summary>Higher is more specific.</summary>
    internal int Specificity => (Digits.Length * 2) + (IsWildcard ? 0 : 1);

    private bool IsWildcard => Pattern.EndsWith('*');

    private string Digits => IsWildcard ? Pattern[..^1] : Pattern;

    /// <summary>Why the rule cannot be used, or null.</summary>
    internal string? Problem() =>
        Digits.All(char.IsAsciiDigit) && (Digits.Length > 0 || IsWildcard) && Amount >= 0
            ? null
            : $"profit '{Pattern}' {Kind} {Amount} needs digits with an optional trailing '*' and an amount of 0 or more";

    /// <summary>The rate with this profit on it.</summary>
    internal decimal Apply(decimal rate) => Kind switch
    {
        ProfitKind.Absolute => rate + Amount,
        ProfitKind.Multiplier => rate * Amount,
        ProfitKind.Percent => rate + (rate * Amount / 100m),
        _ => throw new InvalidOperationException($"Unknown profit kind {Kind}."),
    };
}

/// <summary>How to build a card from other cards.</summary>
public sealed record CombineSettings
{
    /// <summary>Name, currency (every source card must have it), precision and rounding of the new card.</summary>
    public required CardTerms Terms { get; init; }

    /// <summary>Cheapest, dearest or average.</summary>
    public CombineStrategy Strategy { get; init; } = CombineStrategy.Cheapest;

    /// <summary>Profits on matching prefixes.</summary>
    public IReadOnlyList<ProfitRule> Profits { get; init; } = [];

    /// <summary>Decimal places a derived rate or fee (average, profit) is rounded to, with the card's rounding.</summary>
    public int RateDecimals { get; init; } = 6;
}
