using CsvHelper;
using Jobs.Rating.Text;

namespace Jobs.Rating.Cards;

/// <summary>Builds a rate card from a carrier's deck, read as a CSV stream.</summary>
public static class CardBuilder
{
    /// <summary>Rows between progress reports and cancellation checks.</summary>
    private const int ReportEvery = 8192;

    /// <summary>Problems named in a strict build's failure message.</summary>
    private const int ProblemsNamed = 5;

    /// <summary>
    /// Reads <paramref name="deck"/> (UTF-8 CSV) once, front to back, and builds the card. Rows that cannot be
    /// used are listed with their line and reason; the rest make the card unless <see cref="CardSettings.Strict"/>.
    /// Bad settings or a header without the mapped columns fail the build; I/O faults and cancellation throw.
    /// </summary>
    public static async Task<CardBuildResult> BuildAsync(
        Stream deck,
        CardSettings settings,
        IProgress<ReadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deck);
        ArgumentNullException.ThrowIfNull(settings);

        var state = new DeckRead(settings);
        if (CardSettingsCheck.Problem(settings) is { } invalid)
        {
            return state.Fail(invalid);
        }

        var total = deck.CanSeek ? deck.Length - deck.Position : (long?)null;
        await using var reader = CsvReader.Create(deck, CsvInput.Options(), leaveOpen: true);
        long records = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (state.Take(reader) is { } failure)
            {
                return state.Fail(failure);
            }

            if (++records % ReportEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ReadProgress(state.RowsRead, reader.ByteOffset, total));
            }
        }

        progress?.Report(new ReadProgress(state.RowsRead, total ?? reader.ByteOffset, total));
        return state.Finish(ProblemsNamed);
    }

    /// <summary>Builds a card from a deck held in memory (tests, small uploads).</summary>
    public static Task<CardBuildResult> BuildAsync(string deckText, CardSettings settings, CancellationToken cancellationToken = default)
    {
        var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(deckText));
        return BuildAsync(stream, settings, null, cancellationToken);
    }
}
