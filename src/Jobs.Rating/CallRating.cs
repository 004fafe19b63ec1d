namespace Jobs.Rating;

/// <summary>What became of one call in <see cref="CardRater.Rate(ReadOnlySpan{byte}, DateTime, int)"/>.</summary>
public enum RatingStatus
{
    /// <summary>Matched an entry and charged.</summary>
    Rated,

    /// <summary>No prefix of the number has an entry in force at the call's start.</summary>
    Unmatched,

    /// <summary>The matching entry is blocked: reported, not charged.</summary>
    Blocked,

    /// <summary>The call had no answered seconds: nothing to bill.</summary>
    NotAnswered,
}

/// <summary>The outcome of rating one call; a value, so rating allocates nothing.</summary>
public readonly struct CallRating
{
    // One more than the entry's index, so that default(CallRating) means "no entry".
    private readonly int _entrySlot;

    internal CallRating(RatingStatus status, RateEntry? entry, int entryIndex, int billedSeconds, long chargeUnits, int precision)
    {
        Status = status;
        Entry = entry;
        _entrySlot = entryIndex + 1;
        BilledSeconds = billedSeconds;
        ChargeUnits = chargeUnits;
        Precision = precision;
    }

    /// <summary>Rated, unmatched, blocked or not answered.</summary>
    public RatingStatus Status { get; }

    /// <summary>The entry matched (also for a blocked call), or null.</summary>
    public RateEntry? Entry { get; }

    /// <summary>Seconds billed after increments; 0 unless rated.</summary>
    public int BilledSeconds { get; }

    /// <summary>The rounded charge in units of 10^-<see cref="Precision"/>; 0 unless rated.</summary>
    public long ChargeUnits { get; }

    /// <summary>The card's precision, the scale of <see cref="Charge"/>.</summary>
    public int Precision { get; }

    /// <summary>The rounded charge, exact, with the card's precision as its scale (0.0160, not 0.016).</summary>
    public decimal Charge => ExactDecimal.FromUnits(ChargeUnits, Precision);

    /// <summary>Position of <see cref="Entry"/> in the card's entries, or -1 (also for a default value).</summary>
    internal int EntryIndex => _entrySlot - 1;
}
