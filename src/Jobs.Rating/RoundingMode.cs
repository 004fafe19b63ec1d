using System.Text.Json.Serialization;

namespace Jobs.Rating;

/// <summary>
/// How a charge (or a derived rate) is rounded to a card's precision. Charges are never negative, so
/// <see cref="Up"/> and <see cref="Down"/> mean away from zero and toward zero.
/// </summary>
/// <remarks>The JSON names ("up", "down", "half-up", "half-down", "half-even") are those of the job payload.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<RoundingMode>))]
public enum RoundingMode
{
    /// <summary>Nearest; an exact half goes up (the default).</summary>
    [JsonStringEnumMemberName("half-up")]
    HalfUp = 0,

    /// <summary>Nearest; an exact half goes down.</summary>
    [JsonStringEnumMemberName("half-down")]
    HalfDown,

    /// <summary>Nearest; an exact half goes to the even neighbour (banker's rounding).</summary>
    [JsonStringEnumMemberName("half-even")]
    HalfEven,

    /// <summary>Any remainder rounds up (ceiling).</summary>
    [JsonStringEnumMemberName("up")]
    Up,

    /// <summary>Any remainder is dropped (truncation).</summary>
    [JsonStringEnumMemberName("down")]
    Down,
}
