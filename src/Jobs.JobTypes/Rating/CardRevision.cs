using Jobs.Rating;

namespace Jobs.JobTypes.Rating;

/// <summary>A tenant's rate card as stored: its name, currency and the revision in force now.</summary>
/// <param name="CurrentRevision">The latest completed revision.</param>
public sealed record StoredCard(Guid Id, string Tenant, string Name, string Currency, int CurrentRevision);

/// <summary>A completed revision of a card.</summary>
/// <param name="Id">The id of the job that built it.</param>
/// <param name="CompletedAt">When it was written whole: from then on it was in force.</param>
public sealed record CardRevision(
    Guid Id,
    Guid CardId,
    string Name,
    string Currency,
    int Revision,
    int Precision,
    RoundingMode Rounding,
    int Entries,
    int Prefixes,
    long RowsRead,
    long RowsRejected,
    Guid? RejectedFileId,
    DateTimeOffset CompletedAt)
{
    /// <summary>The card's terms as the revision was built with them.</summary>
    public CardTerms Terms => new(Name, Currency, Precision, Rounding);
}

/// <summary>What a job hands to <see cref="CardStore.SaveAsync"/>: the built card and how it was made.</summary>
/// <param name="JobId">The building job: the revision's id, so a repeated attempt cannot add a second revision.</param>
/// <param name="SourceJson">What it was built from, as a JSON object.</param>
public sealed record NewRevision(
    Guid JobId,
    string Tenant,
    RateCard Card,
    long RowsRead,
    long RowsRejected,
    Guid? RejectedFileId,
    string SourceJson);

/// <summary>The JSON names of rounding modes (the payload's), as stored in <c>rating.card_revision.rounding</c>.</summary>
internal static class RoundingNames
{
    public static string Of(RoundingMode mode) => mode switch
    {
        RoundingMode.HalfUp => "half-up",
        RoundingMode.HalfDown => "half-down",
        RoundingMode.HalfEven => "half-even",
        RoundingMode.Up => "up",
        RoundingMode.Down => "down",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown rounding mode."),
    };

    public static RoundingMode? Parse(string? name) => name switch
    {
        "half-up" => RoundingMode.HalfUp,
        "half-down" => RoundingMode.HalfDown,
        "half-even" => RoundingMode.HalfEven,
        "up" => RoundingMode.Up,
        "down" => RoundingMode.Down,
        _ => null,
    };
}
