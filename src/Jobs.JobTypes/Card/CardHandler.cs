using System.Text.Json;
using Jobs.Files;
using Jobs.Handlers;
using Jobs.JobTypes.Rating;
using Jobs.Rating;
using Jobs.Rating.Cards;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Card;

/// <summary>
/// The <c>card</c> job type: builds the next revision of a tenant's rate card (identified by its name) from an
/// uploaded deck, or from other cards.
/// </summary>
/// <remarks>
/// <para>From a deck: <c>{"fileId", "name", "currency", "startRow", "columns": {"prefix", "rate", "name",
/// "connectionFee", "initialIncrement", "increment", "billing", "effectiveDate", "endDate", "blocked"},
/// "prefixPrepend", "defaults": {"initialIncrement", "increment", "connectionFee"}, "precision", "rounding",
/// "strict"}</c>. The file must belong to the job's tenant. Rejected rows are listed with line, column and reason
/// in a CSV file stored for the tenant and in the job's log (the first few, then a count); with <c>strict</c>
/// any rejected row fails the build.</para>
/// <para>From cards: <c>{"name", "currency", "from": {"cards": [cardId, ...], "pick": "cheapest" | "dearest" |
/// "average"}, "profit": [{"pattern": "44*", "kind": "absolute" | "relative" | "percent", "value": 0.002}],
/// "precision", "rounding", "rateDecimals"}</c>. Each source card's current revision is used. <c>absolute</c> adds
/// the value to the rate per minute, <c>relative</c> multiplies the rate by it (1.25 is 25 % more), and
/// <c>percent</c> adds that percentage; the most specific pattern applies.</para>
/// <para>Result: <c>{"cardId", "revision", "rows", "accepted", "rejected", "rejectedFileId", "entries",
/// "prefixes", "completedAt"}</c>, with <c>"sources"</c> for a card built from cards.</para>
/// <para>The revision is written whole in one transaction, with the switch of the card's current revision, so a
/// failed or cancelled build leaves the card as it was. It is keyed by the job's id: an attempt repeated after a
/// silo died returns the revision an earlier attempt completed instead of adding another.</para>
/// </remarks>
public sealed partial class CardHandler(
    CardStore cards, IFileStore files, IOptions<RatingOptions> options, ILogger<CardHandler> logger) : IJobHandler
{
    /// <summary>Share of the progress bar given to reading the deck; writing it takes the rest.</summary>
    private const int ReadShare = 80;

    private readonly ILogger _logger = logger;

    public string Type => JobType.Card;

    public PayloadValidation Validate(JsonElement payload)
    {
        var validation = new PayloadValidation();
        CardPayloadReader.Read(payload, validation);
        return validation;
    }

    /// <summary>The card's name and what it is built from.</summary>
    public IReadOnlyDictionary<string, string>? Summarize(JsonElement payload)
    {
        if (CardPayloadReader.Read(payload, new PayloadValidation()) is not { } request)
        {
            return null;
        }

        var source = request.Deck is { } deck
            ? $"file {deck.FileId}"
            : $"{request.Combine!.Cards.Count} card(s), {request.Combine.Pick.ToString().ToLowerInvariant()}";
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["card"] = request.Terms.Name, ["from"] = source };
    }

    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var validation = new PayloadValidation();
        if (CardPayloadReader.Read(context.Payload, validation) is not { } request)
        {
            return Fail(context, $"the payload is invalid: {Describe(validation)}");
        }

        if (await cards.FindBuiltByAsync(context.JobId, cancellationToken) is { } built)
        {
            LogAlreadyBuilt(context.JobId, built.CardId, built.Revision);
            return JobOutcome.Completed(CardResult.Of(built, null));
        }

        var existing = await cards.FindAsync(context.Tenant, request.Terms.Name, cancellationToken);
        if (existing is not null && existing.Currency != request.Terms.Currency)
        {
            return Fail(context, new CardCurrencyException(existing.Name, existing.Currency, request.Terms.Currency).Message);
        }

        try
        {
            return request.Deck is { } deck
                ? await BuildFromDeckAsync(context, deck, cancellationToken)
                : await CombineAsync(context, request.Terms, request.Combine!, cancellationToken);
        }
        catch (CardCurrencyException exception)
        {
            return Fail(context, exception.Message);
        }
    }

    private async Task<JobOutcome> BuildFromDeckAsync(JobContext context, CardSettings deck, CancellationToken cancellationToken)
    {
        await using var stream = await files.OpenReadAsync(deck.FileId!.Value, context.Tenant, cancellationToken);
        if (stream is null)
        {
            return Fail(context, $"payload.fileId: there is no file {deck.FileId} for tenant {context.Tenant}");
        }

        context.ReportProgress(0, "reading the deck");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await CardBuilder.BuildAsync(stream, deck, new DeckProgress(context), cancellationToken);
        var read = watch.Elapsed;
        var rejectedFileId = await RejectedRows.ReportAsync(
            context, files, deck.Name, result.Rejected, options.Value.LoggedProblems, cancellationToken);
        if (result.Card is not { } card)
        {
            var where = rejectedFileId is { } id ? $"; every rejected row is in file {id}" : "";
            return Fail(context, $"the deck cannot be used: {result.Failure}{where}");
        }

        var counts = result.Counts;
        context.ReportProgress(ReadShare, $"writing {counts.Entries:N0} entries of {counts.RowsRead:N0} rows");
        var source = JsonSerializer.Serialize(new { fileId = deck.FileId });
        watch.Restart();
        var revision = await cards.SaveAsync(
            new NewRevision(context.JobId, context.Tenant, card, counts.RowsRead, counts.RowsRejected, rejectedFileId, source),
            cancellationToken);

        context.Log($"Card '{revision.Name}' revision {revision.Revision}: {counts.RowsAccepted:N0} of {counts.RowsRead:N0} rows, "
            + $"{counts.Entries:N0} entries, {counts.DuplicatesMerged:N0} duplicates merged; "
            + $"read in {read.TotalSeconds:0.0} s, written in {watch.Elapsed.TotalSeconds:0.0} s");
        LogBuilt(context.JobId, revision.CardId, revision.Revision, revision.Entries, counts.RowsRejected);
        return JobOutcome.Completed(CardResult.Of(revision, null));
    }

    private async Task<JobOutcome> CombineAsync(
        JobContext context, CardTerms terms, CombineRequest request, CancellationToken cancellationToken)
    {
        var sources = new List<RateCard>(request.Cards.Count);
        var used = new List<CardSource>(request.Cards.Count);
        for (var i = 0; i < request.Cards.Count; i++)
        {
            var revision = await cards.RevisionAsync(context.Tenant, request.Cards[i], null, cancellationToken);
            if (revision is null)
            {
                return Fail(context, $"payload.from.cards[{i}]: there is no card {request.Cards[i]} for tenant {context.Tenant}");
            }

            sources.Add(await cards.LoadAsync(revision, cancellationToken));
            used.Add(new CardSource(revision.CardId, revision.Revision));
            context.ReportProgress(10 * (i + 1) / request.Cards.Count, $"loaded card '{revision.Name}' revision {revision.Revision}");
        }

        var settings = new CombineSettings
        {
            Terms = terms, Strategy = request.Pick, Profits = request.Profits, RateDecimals = request.RateDecimals,
        };
        RateCard card;
        try
        {
            card = await Task.Run(() => CardCombiner.Combine(sources, settings), cancellationToken);
        }
        catch (ArgumentException exception)
        {
            return Fail(context, $"the cards cannot be combined: {exception.Message}");
        }

        context.ReportProgress(ReadShare, $"writing {card.Entries.Count:N0} entries");
        var source = JsonSerializer.Serialize(new { cards = used, pick = request.Pick.ToString().ToLowerInvariant() }, JobJson.Options);
        var saved = await cards.SaveAsync(
            new NewRevision(context.JobId, context.Tenant, card, 0, 0, null, source), cancellationToken);

        context.Log($"Card '{saved.Name}' revision {saved.Revision}: {saved.Entries:N0} entries from {used.Count} card(s)");
        LogBuilt(context.JobId, saved.CardId, saved.Revision, saved.Entries, 0);
        return JobOutcome.Completed(CardResult.Of(saved, used));
    }

    private JobOutcome Fail(JobContext context, string reason)
    {
        context.Log(reason, "error");
        LogFailed(context.JobId, reason);
        return JobOutcome.FailedPermanently(reason);
    }

    private static string Describe(PayloadValidation validation) => string.Join("; ",
        validation.ToDictionary().Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}"));

    /// <summary>Turns the builder's bytes read into the job's progress.</summary>
    private sealed class DeckProgress(JobContext context) : IProgress<ReadProgress>
    {
        public void Report(ReadProgress value)
        {
            var percent = value.TotalBytes is > 0 and var total ? (int)(value.BytesRead * ReadShare / total) : 0;
            context.ReportProgress(percent, $"{value.RowsRead:N0} rows read");
        }
    }
}

/// <summary>A source card of a combined card: which revision was used.</summary>
public sealed record CardSource(Guid CardId, int Revision);

/// <summary>The result of a card job.</summary>
internal sealed record CardResult(
    Guid CardId,
    string Name,
    int Revision,
    long Rows,
    long Accepted,
    long Rejected,
    Guid? RejectedFileId,
    int Entries,
    int Prefixes,
    DateTimeOffset CompletedAt,
    IReadOnlyList<CardSource>? Sources)
{
    public static string Of(CardRevision revision, IReadOnlyList<CardSource>? sources) => JobJson.Serialize(new CardResult(
        revision.CardId,
        revision.Name,
        revision.Revision,
        revision.RowsRead,
        revision.RowsRead - revision.RowsRejected,
        revision.RowsRejected,
        revision.RejectedFileId,
        revision.Entries,
        revision.Prefixes,
        revision.CompletedAt,
        sources));
}
