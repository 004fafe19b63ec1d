using System.Globalization;

namespace Jobs.Engine;

/// <summary>Durations in the words people read in reasons and logs: "250 ms", "1.5 s", "5 min", "2 h".</summary>
public static class Durations
{
    public static string Describe(TimeSpan duration)
    {
        var culture = CultureInfo.InvariantCulture;
        return duration.TotalMilliseconds switch
        {
            < 1_000 => string.Create(culture, $"{duration.TotalMilliseconds:0} ms"),
            < 60_000 => string.Create(culture, $"{duration.TotalSeconds:0.#} s"),
            < 3_600_000 => string.Create(culture, $"{duration.TotalMinutes:0.#} min"),
            _ => string.Create(culture, $"{duration.TotalHours:0.#} h"),
        };
    }
}
