using CsvHelper;
using Jobs.Rating.Text;

namespace Jobs.Rating.Cards;

/// <summary>The state of one deck read: header, counters, rejected rows and the entries kept so far.</summary>
internal sealed class DeckRead(CardSettings settings)
{
    private readonly EntryCollector _collector = new();
    private readonly List<RejectedRow> _rejected = [];
    private readonly List<RateEntry> _rowEntries = [];
    private DeckRowParser? _parser;
    private bool[]? _wanted;
    private long _accepted;
    private long _blank;

    /// <summary>Data rows read so far.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Takes the reader's current record; returns a failure that ends the build, or null.</summary>
    public string? Take(CsvReader reader)
    {
        var line = reader.LineNumber;
        if (_parser is null)
        {
            // Lines above the header are the carrier's notice block; the first record at startRow is the header.
            return line < settings.StartRow ? null : TakeHeader(CsvInput.Fields(reader), line);
        }

        if (CsvInput.IsBlank(reader))
        {
            _blank++;
            return null;
        }

        RowsRead++;
        TakeRow(CsvInput.Fields(reader, _wanted), line);
        return null;
    }

    /// <summary>The result once the deck has been read to its end.</summary>
    public CardBuildResult Finish(int problemsNamed)
    {
        if (_parser is null)
        {
            return Fail($"no header row at or after line {settings.StartRow}");
        }

        if (settings.Strict && _rejected.Count > 0)
        {
            var named = string.Join("; ", _rejected.Take(problemsNamed));
            return Fail($"strict build rejected {_rejected.Count} row(s): {named}");
        }

        var terms = new CardTerms(settings.Name, settings.Currency, settings.Precision, settings.Rounding);
        var card = RateCard.Create(terms, _collector.Entries);
        return new CardBuildResult { Card = card, Counts = Counts(card), Rejected = _rejected };
    }

    /// <summary>A failed result with what was counted so far.</summary>
    public CardBuildResult Fail(string failure) =>
        new() { Failure = failure, Counts = Counts(null), Rejected = _rejected };

    private string? TakeHeader(string[] header, long line)
    {
        var layout = DeckLayout.Resolve(header, settings.Columns, line, out var problem);
        if (layout is null)
        {
            return problem;
        }

        _parser = new DeckRowParser(layout, settings);
        _wanted = layout.Mapped();
        return null;
    }

    private void TakeRow(string[] row, long line)
    {
        var rejected = _parser!.Parse(line, row, _rowEntries);
        if (rejected is null && _collector.TryAdd(line, _rowEntries) is { } conflict)
        {
            rejected = new RejectedRow(line, settings.Columns.Prefix, conflict);
        }

        if (rejected is null)
        {
            _accepted++;
            return;
        }

        _rejected.Add(rejected);
    }

    private CardBuildCounts Counts(RateCard? card) => new(
        RowsRead,
        _accepted,
        _rejected.Count,
        _collector.DuplicatesMerged,
        _blank,
        card?.Entries.Count ?? 0,
        card?.PrefixCount ?? 0);
}
