namespace Jobs.Rating.Cards;

/// <summary>Counts of a deck read.</summary>
/// <param name="RowsRead">Data rows read (below the header; blank rows aside).</param>
/// <param name="RowsAccepted">Rows whose codes all went onto the card or merged with an identical entry.</param>
/// <param name="RowsRejected">Rows rejected, each listed in <see cref="CardBuildResult.Rejected"/>.</param>
/// <param name="DuplicatesMerged">Entries identical to an earlier one (same prefix, dates and charges), dropped silently.</param>
/// <param name="BlankRows">Rows with every cell empty, ignored.</param>
/// <param name="Entries">Entries on the card.</param>
/// <param name="Prefixes">Distinct prefixes on the card.</param>
public sealed record CardBuildCounts(
    long RowsRead,
    long RowsAccepted,
    long RowsRejected,
    long DuplicatesMerged,
    long BlankRows,
    int Entries,
    int Prefixes);

/// <summary>
/// The outcome of a card build: the card, or why there is none, with the counts and every rejected row either way.
/// </summary>
public sealed record CardBuildResult
{
    /// <summary>The card; null when the build failed.</summary>
    public RateCard? Card { get; init; }

    /// <summary>Why the build failed (strict mode, a missing column, bad settings); null on success.</summary>
    public string? Failure { get; init; }

    /// <summary>What was read and kept.</summary>
    public required CardBuildCounts Counts { get; init; }

    /// <summary>Every rejected row in deck order.</summary>
    public required IReadOnlyList<RejectedRow> Rejected { get; init; }

    /// <summary>Whether a card was built.</summary>
    public bool Succeeded => Card is not null;
}
