using System.Text.Json.Serialization;

namespace Jobs.Rating.Cards;

/// <summary>
/// How to build a rate card from a carrier's deck. Mirrors the Card job's payload, whose field names are fixed
/// by the programs that send it.
/// </summary>
public sealed record CardSettings
{
    /// <summary>The uploaded deck; the library does not read it, the handler does.</summary>
    [JsonPropertyName("fileId")]
    public Guid? FileId { get; init; }

    /// <summary>The card's name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>ISO 4217 currency of the deck's rates.</summary>
    [JsonPropertyName("currency")]
    public string Currency { get; init; } = "";

    /// <summary>1-based line of the header; the lines above it are a notice block and are ignored.</summary>
    [JsonPropertyName("startRow")]
    public int StartRow { get; init; } = 1;

    /// <summary>Which header names hold which values.</summary>
    [JsonPropertyName("columns")]
    public CardColumns Columns { get; init; } = new();

    /// <summary>Digits put before every prefix, e.g. "1" for a deck keyed by NPANXX.</summary>
    [JsonPropertyName("prefixPrepend")]
    public string? PrefixPrepend { get; init; }

    /// <summary>Values for what the deck lacks.</summary>
    [JsonPropertyName("defaults")]
    public CardDefaults Defaults { get; init; } = new();

    /// <summary>Decimal places of each charge (default 4).</summary>
    [JsonPropertyName("precision")]
    public int Precision { get; init; } = CardTerms.DefaultPrecision;

    /// <summary>How each charge is rounded (default half-up).</summary>
    [JsonPropertyName("rounding")]
    public RoundingMode Rounding { get; init; } = RoundingMode.HalfUp;

    /// <summary>Fail the whole build when any row is rejected, instead of building the rest.</summary>
    [JsonPropertyName("strict")]
    public bool Strict { get; init; }
}

/// <summary>
/// Header names of the deck's columns. Only <see cref="Prefix"/> and <see cref="Rate"/> are required; names
/// match ignoring case and surrounding spaces.
/// </summary>
public sealed record CardColumns
{
    /// <summary>Dial codes: one, several separated by commas or semicolons, or ranges like 447400-447409.</summary>
    [JsonPropertyName("prefix")]
    public string? Prefix { get; init; }

    /// <summary>The destination's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Rate per minute.</summary>
    [JsonPropertyName("rate")]
    public string? Rate { get; init; }

    /// <summary>Charge per answered call.</summary>
    [JsonPropertyName("connectionFee")]
    public string? ConnectionFee { get; init; }

    /// <summary>Initial increment, seconds.</summary>
    [JsonPropertyName("initialIncrement")]
    public string? InitialIncrement { get; init; }

    /// <summary>Subsequent increment, seconds.</summary>
    [JsonPropertyName("increment")]
    public string? Increment { get; init; }

    /// <summary>Both increments in one cell, "initial/subsequent" such as "30/6"; wins over the separate columns.</summary>
    [JsonPropertyName("billing")]
    public string? Billing { get; init; }

    /// <summary>First day in force, 2026-09-23 or 23/09/2026.</summary>
    [JsonPropertyName("effectiveDate")]
    public string? EffectiveDate { get; init; }

    /// <summary>First day no longer in force (exclusive).</summary>
    [JsonPropertyName("endDate")]
    public string? EndDate { get; init; }

    /// <summary>Marks blocked destinations (x, yes, y, true, 1, blocked).</summary>
    [JsonPropertyName("blocked")]
    public string? Blocked { get; init; }
}

/// <summary>Values used where the deck has no column or an empty cell. Without them: 1/1 and no fee.</summary>
public sealed record CardDefaults
{
    /// <summary>Initial increment, seconds (default 1).</summary>
    [JsonPropertyName("initialIncrement")]
    public int? InitialIncrement { get; init; }

    /// <summary>Subsequent increment, seconds (default 1).</summary>
    [JsonPropertyName("increment")]
    public int? Increment { get; init; }

    /// <summary>Connection fee (default 0).</summary>
    [JsonPropertyName("connectionFee")]
    public decimal? ConnectionFee { get; init; }
}
