using System.Text.Json.Serialization;

namespace Jobs.Rating.Cdrs;

/// <summary>The layout of a call-record file.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CdrFormat>))]
public enum CdrFormat
{
    /// <summary>
    /// Asterisk's cdr_csv Master.csv: no header, columns accountcode, src, dst, dcontext, clid, channel,
    /// dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags, then uniqueid
    /// and userfield when cdr.conf turns on loguniqueid and loguserfield (as cdr/cdr_csv.c writes them).
    /// </summary>
    [JsonStringEnumMemberName("asterisk-master")]
    AsteriskMaster,

    /// <summary>A CSV with a header row, read through <see cref="CdrColumns"/>.</summary>
    [JsonStringEnumMemberName("csv")]
    Csv,
}

/// <summary>Header names of a <see cref="CdrFormat.Csv"/> file's columns; matched ignoring case.</summary>
public sealed record CdrColumns
{
    /// <summary>The dialed number (required).</summary>
    [JsonPropertyName("destination")]
    public string? Destination { get; init; }

    /// <summary>Answered seconds (required).</summary>
    [JsonPropertyName("billedSeconds")]
    public string? BilledSeconds { get; init; }

    /// <summary>ANSWERED, NO ANSWER, BUSY, FAILED…; without it, any call with seconds counts as answered.</summary>
    [JsonPropertyName("disposition")]
    public string? Disposition { get; init; }

    /// <summary>When the call started, as the switch wrote it; picks the rate in force.</summary>
    [JsonPropertyName("start")]
    public string? Start { get; init; }

    /// <summary>The call's identifier, copied to the output.</summary>
    [JsonPropertyName("callId")]
    public string? CallId { get; init; }
}

/// <summary>How to read and rate a file of call records.</summary>
public sealed record CdrSettings
{
    /// <summary>Master.csv or a CSV with a header.</summary>
    [JsonPropertyName("format")]
    public CdrFormat Format { get; init; } = CdrFormat.AsteriskMaster;

    /// <summary>The column mapping, for <see cref="CdrFormat.Csv"/>.</summary>
    [JsonPropertyName("columns")]
    public CdrColumns? Columns { get; init; }

    /// <summary>How dialed numbers become E.164.</summary>
    [JsonPropertyName("numberPlan")]
    public NumberPlan NumberPlan { get; init; } = new();

    /// <summary>
    /// The moment calls are rated at when the file has no start column; required then. Times are taken as
    /// written, without time zones.
    /// </summary>
    [JsonPropertyName("defaultStart")]
    public DateTime? DefaultStart { get; init; }
}

/// <summary>
/// The dialing plan of the switch that wrote the records, to turn what was dialed into E.164 digits. The
/// defaults are the North American plan: 10-digit national numbers get country code 1; 011 (and 00, which
/// foreign-trained users dial) or + mark international numbers.
/// </summary>
public sealed record NumberPlan
{
    /// <summary>Country code put before national numbers.</summary>
    [JsonPropertyName("countryCode")]
    public string CountryCode { get; init; } = "1";

    /// <summary>Digits of a national number without country code or trunk prefix (10 in North America).</summary>
    [JsonPropertyName("nationalNumberLength")]
    public int NationalNumberLength { get; init; } = 10;

    /// <summary>Dialed before international numbers; stripped.</summary>
    [JsonPropertyName("internationalPrefixes")]
    public IReadOnlyList<string> InternationalPrefixes { get; init; } = ["011", "00"];

    /// <summary>Dialed before national numbers in some countries (0 in the UK); stripped. None in North America.</summary>
    [JsonPropertyName("trunkPrefix")]
    public string? TrunkPrefix { get; init; }

    /// <summary>
    /// Whether other all-digit numbers of 7 to 15 digits are already E.164 (switches that log E.164 without '+').
    /// Off by default: on a PBX such numbers are conference rooms and speed dials, not destinations.
    /// </summary>
    [JsonPropertyName("bareNumbersAreE164")]
    public bool BareNumbersAreE164 { get; init; }
}
