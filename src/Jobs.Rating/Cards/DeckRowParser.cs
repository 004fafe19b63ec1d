namespace Jobs.Rating.Cards;

/// <summary>Turns one deck row into rate entries (one per code in its prefix cell), or the reason it cannot.</summary>
internal sealed class DeckRowParser(DeckLayout layout, CardSettings settings)
{
    private const int DefaultIncrement = 1;

    private readonly string _prepend = settings.PrefixPrepend?.Trim() ?? "";
    private readonly List<string> _codes = [];
    private string[] _row = [];
    private long _line;
    private decimal _rate;
    private decimal _fee;
    private int _initial;
    private int _increment;
    private DateOnly? _from;
    private DateOnly? _to;
    private bool _blocked;

    /// <summary>Parses <paramref name="row"/> into <paramref name="entries"/> (cleared first); null when it parsed.</summary>
    public RejectedRow? Parse(long line, string[] row, List<RateEntry> entries)
    {
        entries.Clear();
        _codes.Clear();
        _row = row;
        _line = line;

        var problem = DeckCells.ExpandCodes(Cell(layout.Prefix), _prepend, _codes);
        if (problem is not null)
        {
            return Reject(layout.Prefix, problem);
        }

        var rejected = ParseRate() ?? ParseFee() ?? ParseIncrements() ?? ParseDates() ?? ParseBlocked();
        if (rejected is not null)
        {
            return rejected;
        }

        var name = Cell(layout.Name);
        foreach (var code in _codes)
        {
            entries.Add(new RateEntry(code, name, _rate, _fee, _initial, _increment, _from, _to, _blocked));
        }

        return null;
    }

    private RejectedRow? ParseRate()
    {
        var cell = Cell(layout.Rate);
        if (cell.Length == 0)
        {
            return Reject(layout.Rate, "empty rate");
        }

        return Check(layout.Rate, DeckCells.ParseAmount(cell, out _rate));
    }

    private RejectedRow? ParseFee()
    {
        _fee = settings.Defaults.ConnectionFee ?? 0m;
        var cell = Cell(layout.ConnectionFee);
        return cell.Length == 0 ? null : Check(layout.ConnectionFee, DeckCells.ParseAmount(cell, out _fee));
    }

    private RejectedRow? ParseIncrements()
    {
        _initial = settings.Defaults.InitialIncrement ?? DefaultIncrement;
        _increment = settings.Defaults.Increment ?? DefaultIncrement;

        // The combined billing cell wins; the separate columns fill in when it is absent or empty.
        var billing = Cell(layout.Billing);
        if (billing.Length != 0)
        {
            return Check(layout.Billing, DeckCells.ParseBilling(billing, out _initial, out _increment));
        }

        var initialCell = Cell(layout.InitialIncrement);
        var incrementCell = Cell(layout.Increment);
        return (initialCell.Length == 0 ? null : Check(layout.InitialIncrement, DeckCells.ParseSeconds(initialCell, out _initial)))
            ?? (incrementCell.Length == 0 ? null : Check(layout.Increment, DeckCells.ParseSeconds(incrementCell, out _increment)));
    }

    private RejectedRow? ParseDates()
    {
        var rejected = ParseDate(layout.EffectiveDate, out _from) ?? ParseDate(layout.EndDate, out _to);
        if (rejected is not null)
        {
            return rejected;
        }

        return _to <= _from
            ? Reject(layout.EndDate, $"end date {_to:yyyy-MM-dd} is not after effective date {_from:yyyy-MM-dd}")
            : null;
    }

    private RejectedRow? ParseDate(int column, out DateOnly? date)
    {
        date = null;
        var cell = Cell(column);
        if (cell.Length == 0)
        {
            return null;
        }

        var rejected = Check(column, DeckCells.ParseDate(cell, out var parsed));
        date = parsed;
        return rejected;
    }

    private RejectedRow? ParseBlocked()
    {
        _blocked = false;
        return layout.Blocked < 0 ? null : Check(layout.Blocked, DeckCells.ParseFlag(Cell(layout.Blocked), out _blocked));
    }

    private string Cell(int index) => index >= 0 && index < _row.Length ? _row[index].Trim() : "";

    private RejectedRow? Check(int column, string? problem) => problem is null ? null : Reject(column, problem);

    private RejectedRow Reject(int column, string reason) => new(_line, layout.NameOf(column), reason);
}
