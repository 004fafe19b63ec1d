using System.Text;

namespace Jobs.Rating;

/// <summary>
/// A rate card compiled for rating: a digit trie for longest-prefix matching and each entry's charge rule in
/// integer units. Immutable and safe to share between threads; rating a call allocates nothing.
/// </summary>
public sealed class CardRater
{
    private const int MaxDigits = 32;

    private readonly RateEntry[] _entries;
    private readonly long[] _fromTicks;
    private readonly long[] _toTicks;
    private readonly ChargePlan[] _plans;
    private readonly PrefixTrie _trie;
    private readonly RoundingMode _rounding;
    private readonly int _precision;

    internal CardRater(RateCard card)
    {
        Card = card;
        _entries = [.. card.Entries];
        _fromTicks = [.. _entries.Select(entry => entry.FromTicks)];
        _toTicks = [.. _entries.Select(entry => entry.ToTicks)];
        _precision = card.Terms.Precision;
        _rounding = card.Terms.Rounding;
        _plans = [.. _entries.Select(entry => new ChargePlan(entry, _precision))];
        _trie = PrefixTrie.Build(_entries);
    }

    /// <summary>The card this rater was compiled from.</summary>
    public RateCard Card { get; }

    /// <summary>
    /// Rates one call: longest-prefix match of <paramref name="number"/> (E.164 digits as ASCII bytes, no '+')
    /// among entries in force at <paramref name="start"/>, billed seconds by the entry's increments, and the charge
    /// rounded once to the card's precision.
    /// </summary>
    public CallRating Rate(ReadOnlySpan<byte> number, DateTime start, int seconds)
    {
        if (seconds <= 0)
        {
            return new CallRating(RatingStatus.NotAnswered, null, -1, 0, 0, _precision);
        }

        var index = _trie.Find(number, start.Ticks, _fromTicks, _toTicks);
        if (index < 0)
        {
            return new CallRating(RatingStatus.Unmatched, null, -1, 0, 0, _precision);
        }

        ref readonly var plan = ref _plans[index];
        if (plan.Blocked)
        {
            return new CallRating(RatingStatus.Blocked, _entries[index], index, 0, 0, _precision);
        }

        var billed = Increments.Bill(seconds, plan.InitialIncrement, plan.Increment);
        var units = plan.ChargeUnits(billed, _rounding);
        return new CallRating(RatingStatus.Rated, _entries[index], index, billed, units, _precision);
    }

    /// <summary>Rates one call whose number is given as text (E.164 digits, no '+').</summary>
    public CallRating Rate(string number, DateTime start, int seconds) => Rate(Ascii(number, stackalloc byte[MaxDigits]), start, seconds);

    /// <summary>The index in the card's entries of the entry matching <paramref name="number"/> at <paramref name="at"/>, or -1.</summary>
    public int Match(ReadOnlySpan<byte> number, DateTime at) => _trie.Find(number, at.Ticks, _fromTicks, _toTicks);

    /// <summary>The index of the entry matching <paramref name="number"/> (text) at <paramref name="at"/>, or -1.</summary>
    public int Match(string number, DateTime at) => Match(Ascii(number, stackalloc byte[MaxDigits]), at);

    /// <summary>The matching entry's index at a moment given as ticks (long.MinValue: before any date).</summary>
    internal int MatchAt(string number, long ticks) =>
        _trie.Find(Ascii(number, stackalloc byte[MaxDigits]), ticks, _fromTicks, _toTicks);

    private static ReadOnlySpan<byte> Ascii(string number, Span<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(number);

        // Longer strings are not phone numbers; the digits that fit are enough to find no match or a prefix.
        var length = Math.Min(number.Length, buffer.Length);
        var written = Encoding.ASCII.GetBytes(number.AsSpan(0, length), buffer);
        return buffer[..written];
    }
}
