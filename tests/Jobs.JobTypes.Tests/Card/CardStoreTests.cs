using Jobs.JobTypes.Rating;
using Jobs.Rating;

namespace Jobs.JobTypes.Tests.Card;

/// <summary>Card revisions on a real PostgreSQL: written whole, once per job, numbered in completion order.</summary>
public sealed class CardStoreTests(RatingDatabase database) : IClassFixture<RatingDatabase>
{
    private const string Tenant = "acme";

    [Fact]
    public async Task SaveAsync_ThenLoadAsync_GivesBackEveryFieldOfEveryEntry()
    {
        var card = Card("roundtrip",
            new RateEntry(
                "44", "UK, mobile \"EE\"", 0.0123456789m, 0.05m, 30, 6, new DateOnly(2026, 1, 1), new DateOnly(2026, 7, 1), false),
            new RateEntry("44", "UK", 0.02m, 0m, 30, 6, new DateOnly(2026, 7, 1), null, false),
            new RateEntry("1900", "", 0.9m, 0m, 1, 1, null, null, true));

        var saved = await database.Cards.SaveAsync(Revision(card), default);
        var fresh = new CardStore(database.DataSource, new CardCache(Microsoft.Extensions.Options.Options.Create(new RatingOptions())));
        var loaded = await fresh.LoadAsync(saved, default);

        Assert.Equal(card.Entries, loaded.Entries);
        Assert.Equal(card.Terms, loaded.Terms);
        Assert.Equal((1, 3, 2), (saved.Revision, saved.Entries, saved.Prefixes));
    }

    [Fact]
    public async Task SaveAsync_RepeatedForTheSameJob_ReturnsTheFirstRevisionAndAddsNothing()
    {
        var revision = Revision(Card("repeated", UsEntry()));

        var first = await database.Cards.SaveAsync(revision, default);
        var again = await database.Cards.SaveAsync(revision, default);

        Assert.Equal(first, again);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM rating.card_revision WHERE card_id = $1", first.CardId));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM rating.rate WHERE revision_id = $1", first.Id));
    }

    [Fact]
    public async Task SaveAsync_ForManyJobsAtOnce_NumbersRevisionsInTheOrderTheyCompleted()
    {
        var card = Card("concurrent", UsEntry());

        var saved = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => database.Cards.SaveAsync(Revision(card), default)));

        var byNumber = saved.OrderBy(revision => revision.Revision).ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], byNumber.Select(revision => revision.Revision));
        Assert.Equal(
            byNumber.OrderBy(revision => revision.CompletedAt).Select(revision => revision.Id), byNumber.Select(revision => revision.Id));
        var current = await database.Cards.RevisionAsync(Tenant, saved[0].CardId, null, default);
        Assert.Equal(6, current!.Revision);
    }

    [Fact]
    public async Task SaveAsync_WhenCancelledDuringTheCopy_LeavesTheCardAsItWas()
    {
        var first = await database.Cards.SaveAsync(Revision(Card("cancelled", UsEntry())), default);
        var large = Card("cancelled", [.. Enumerable.Range(0, 20_000).Select(i => new RateEntry(
            (10_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "", 0.01m, 0m, 6, 6, null, null, false))]);
        using var cancel = new CancellationTokenSource();
        var revision = Revision(large);

        // Another transaction holds the rates table, so the save's copy into it waits: the cancellation then surely
        // lands while the copy is under way, however fast the copy would otherwise be.
        await using var blocker = await database.DataSource.OpenConnectionAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockRates = new Npgsql.NpgsqlCommand("LOCK TABLE rating.rate IN SHARE MODE", blocker, hold))
        {
            await lockRates.ExecuteNonQueryAsync();
        }

        var saving = database.Cards.SaveAsync(revision, cancel.Token);
        await Jobs.Tests.Infrastructure.Eventually.Until(
            async () => saving.IsCompleted || await database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_locks WHERE relation = 'rating.rate'::regclass AND NOT granted") > 0,
            TimeSpan.FromSeconds(30), "the copy waits for the rates table");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => saving);
        await hold.RollbackAsync();
        var current = await database.Cards.RevisionAsync(Tenant, first.CardId, null, default);
        Assert.Equal(first, current);
        Assert.Null(await database.Cards.FindBuiltByAsync(revision.JobId, default));
        await Jobs.Tests.Infrastructure.Eventually.Until(
            async () => await database.ScalarAsync<long>("SELECT count(*) FROM rating.rate WHERE revision_id = $1", revision.JobId) == 0,
            TimeSpan.FromSeconds(10), "no rate of the cancelled revision is visible");
    }

    [Fact]
    public async Task SaveAsync_InAnotherCurrency_FailsAndChangesNothing()
    {
        var dollars = await database.Cards.SaveAsync(Revision(Card("currency", UsEntry())), default);
        var euros = RateCard.Create(new CardTerms("currency", "EUR"), [UsEntry()]);

        var error = await Assert.ThrowsAsync<CardCurrencyException>(() => database.Cards.SaveAsync(Revision(euros), default));

        Assert.Equal("card 'currency' is in USD; a revision in EUR needs another card name", error.Message);
        Assert.Equal(dollars, await database.Cards.RevisionAsync(Tenant, dollars.CardId, null, default));
    }

    [Fact]
    public async Task RevisionAsync_OfAnotherTenant_IsNotFound()
    {
        var saved = await database.Cards.SaveAsync(Revision(Card("private", UsEntry())), default);

        Assert.Null(await database.Cards.RevisionAsync("someone-else", saved.CardId, null, default));
        Assert.Null(await database.Cards.GetAsync("someone-else", saved.CardId, default));
        Assert.Empty(await database.Cards.RevisionsAsync("someone-else", saved.CardId, default));
    }

    private static RateEntry UsEntry() => new("1", "US", 0.01m, 0m, 6, 6, null, null, false);

    private static RateCard Card(string name, params RateEntry[] entries) => RateCard.Create(new CardTerms(name, "USD", 4), entries);

    private static NewRevision Revision(RateCard card) =>
        new(Guid.CreateVersion7(), Tenant, card, card.Entries.Count, 0, null, "{}");
}
