using System.Net;
using System.Net.Http.Json;
using System.Text;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Rating;

/// <summary>Card jobs through the HTTP API and a real silo: revisions, rejected rows, failures that change nothing.</summary>
public sealed class CardJobTests(JobsApp app) : IClassFixture<JobsApp>, IAsyncLifetime
{
    /// <summary>A carrier deck with a notice block, a quoted name with a comma, and one bad rate (line 7).</summary>
    public const string Deck = """
        Acme Telecom price list
        Valid from 2026-01-01; rates in USD per minute
        Prefix,Destination,Rate,Billing
        1248,US Michigan,0.0120,30/6
        44,United Kingdom,0.0500,60/60
        4420,"UK London, city",0.0300,60/60
        33,France,abc,60/60
        1900,US Premium,0.9000,1/1
        49,Germany,0.0200,

        """;

    private readonly HttpClient _api = app.Operator();
    private RatingKit _kit = null!;

    public Task InitializeAsync()
    {
        _kit = RatingKit.On(app.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    public static object DeckPayload(Guid fileId, string name, bool strict = false) => new
    {
        fileId,
        name,
        currency = "USD",
        startRow = 3,
        columns = new { prefix = "Prefix", name = "Destination", rate = "Rate", billing = "Billing" },
        precision = 4,
        rounding = "half-up",
        strict,
    };

    [Fact]
    public async Task Card_FromADeck_BuildsRevisionOneAndReportsEveryRejectedRow()
    {
        var fileId = await _kit.UploadAsync("acme.csv", Deck);

        var created = await _api.CreateJobAsync(new { type = "card", payload = DeckPayload(fileId, "acme"), attempts = 1 });
        var job = await _api.WaitForEndAsync(created.Id());

        Assert.Equal("completed", job.Status());
        var result = job.GetProperty("result");
        Assert.Equal(1, result.GetProperty("revision").GetInt32());
        Assert.Equal((6, 5, 1), (result.GetProperty("rows").GetInt32(), result.GetProperty("accepted").GetInt32(),
            result.GetProperty("rejected").GetInt32()));
        Assert.Equal(5, result.GetProperty("entries").GetInt32());
        var rejected = (await _kit.DownloadAsync(result.Guid("rejectedFileId"))).Split('\n');
        Assert.Equal("line,column,reason", rejected[0]);
        Assert.StartsWith("7,Rate,", rejected[1], StringComparison.Ordinal);
        Assert.Equal("", rejected[2]);
        Assert.Contains("Rejected line 7, column Rate", RatingCalls.Logs(job), StringComparison.Ordinal);

        var revision = await _kit.Cards.RevisionAsync(RatingKit.Tenant, result.Guid("cardId"), null, default);
        var card = await _kit.Cards.LoadAsync(revision!, default);
        Assert.Equal(["1248", "1900", "44", "4420", "49"], card.Entries.Select(entry => entry.Prefix));
        var london = card.Entries.Single(entry => entry.Prefix == "4420");
        Assert.Equal(("UK London, city", 0.0300m, 60, 60), (london.Name, london.Rate, london.InitialIncrement, london.Increment));
    }

    [Fact]
    public async Task Card_BuiltAgain_BecomesRevisionTwoWhileRevisionOneStaysCurrentUntilTheCopyCommits()
    {
        var first = await _api.RunAsync("card", DeckPayload(await _kit.UploadAsync("v1.csv", Deck), "rebuilt"));
        var cardId = first.Guid("cardId");
        var large = await _kit.UploadAsync("v2.csv", LargeDeck(400_000));

        var created = await _api.CreateJobAsync(new
        {
            type = "card", attempts = 1,
            payload = new { fileId = large, name = "rebuilt", currency = "USD", columns = new { prefix = "Prefix", rate = "Rate" } },
        });
        await WaitForCopyIntoRatesAsync();

        var during = await _kit.Cards.RevisionAsync(RatingKit.Tenant, cardId, null, default);
        Assert.Equal(1, during!.Revision);
        Assert.Equal(5, (await _kit.Cards.LoadAsync(during, default)).Entries.Count);
        Assert.Equal(0L, await _kit.ScalarAsync<long>("SELECT count(*) FROM rating.card_revision WHERE id = $1", Guid.Parse(created.Id())));

        var job = await _api.WaitForEndAsync(created.Id(), TimeSpan.FromSeconds(120));
        Assert.Equal("completed", job.Status());
        var current = await _kit.Cards.RevisionAsync(RatingKit.Tenant, cardId, null, default);
        Assert.Equal((2, 400_000), (current!.Revision, current.Entries));
        var kept = await _kit.Cards.RevisionAsync(RatingKit.Tenant, cardId, 1, default);
        Assert.Equal(5, (await _kit.Cards.LoadAsync(kept!, default)).Entries.Count);
        Assert.True(current.CompletedAt > kept!.CompletedAt);
    }

    [Fact]
    public async Task Card_StrictDeckWithARejectedRow_FailsAndLeavesTheCardExactlyAsItWas()
    {
        var fileId = await _kit.UploadAsync("strict.csv", Deck);
        var first = await _api.RunAsync("card", DeckPayload(fileId, "strict-card"));
        var before = await CardStateAsync(first.Guid("cardId"));

        var created = await _api.CreateJobAsync(
            new { type = "card", payload = DeckPayload(fileId, "strict-card", strict: true), attempts = 1 });
        var job = await _api.WaitForEndAsync(created.Id());

        Assert.Equal("failed", job.Status());
        var reason = job.GetProperty("failedReason").GetString()!;
        Assert.Contains("strict build rejected 1 row(s): line 7, column Rate", reason, StringComparison.Ordinal);
        Assert.Contains("every rejected row is in file", reason, StringComparison.Ordinal);
        Assert.Equal(before, await CardStateAsync(first.Guid("cardId")));
    }

    [Fact]
    public async Task Card_CancelledWhileItsRatesAreCopied_LeavesNoHalfRevisionAndTheCardAsItWas()
    {
        var first = await _api.RunAsync("card", DeckPayload(await _kit.UploadAsync("c1.csv", Deck), "cancelled"));
        var before = await CardStateAsync(first.Guid("cardId"));
        var large = await _kit.UploadAsync("c2.csv", LargeDeck(400_000));
        var created = await _api.CreateJobAsync(new
        {
            type = "card", attempts = 1,
            payload = new { fileId = large, name = "cancelled", currency = "USD", columns = new { prefix = "Prefix", rate = "Rate" } },
        });
        await WaitForCopyIntoRatesAsync();

        using var cancel = await _api.PostAsync($"/api/jobs/{created.Id()}/cancel", null);
        var job = await _api.WaitForEndAsync(created.Id());

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("failed", job.Status());
        Assert.Equal("cancelled", job.GetProperty("failedReason").GetString());
        await Eventually.Until(async () => await CopiesIntoRatesAsync() == 0, TimeSpan.FromSeconds(30), "the copy has stopped");
        Assert.Equal(before, await CardStateAsync(first.Guid("cardId")));
        Assert.Equal(0L, await _kit.ScalarAsync<long>("SELECT count(*) FROM rating.rate WHERE revision_id = $1", Guid.Parse(created.Id())));
    }

    [Fact]
    public async Task Card_FromTwoCards_TakesTheCheapestRateAndAddsTheProfit()
    {
        var a = await _api.RunAsync("card", DeckPayload(await _kit.UploadAsync("a.csv", Deck), "carrier-a"));
        var b = await _api.RunAsync("card", new
        {
            fileId = await _kit.UploadAsync("b.csv", "code,price\n44,0.0400\n4420,0.0350\n1248,0.0100\n"),
            name = "carrier-b", currency = "USD", columns = new { prefix = "code", rate = "price" },
        });

        var combined = await _api.RunAsync("card", new
        {
            name = "retail", currency = "USD",
            from = new { cards = new[] { a.Guid("cardId"), b.Guid("cardId") }, pick = "cheapest" },
            profit = new object[]
            {
                new { pattern = "44*", kind = "percent", value = 10 }, new { pattern = "*", kind = "absolute", value = 0.001 },
            },
        });

        Assert.Equal(1, combined.GetProperty("revision").GetInt32());
        Assert.Equal(2, combined.GetProperty("sources").GetArrayLength());
        var revision = await _kit.Cards.RevisionAsync(RatingKit.Tenant, combined.Guid("cardId"), null, default);
        var rates = (await _kit.Cards.LoadAsync(revision!, default)).Entries.ToDictionary(entry => entry.Prefix, entry => entry.Rate);
        Assert.Equal(0.044m, rates["44"]);
        Assert.Equal(0.033m, rates["4420"]);
        Assert.Equal(0.011m, rates["1248"]);
        Assert.Equal(0.021m, rates["49"]);
    }

    [Fact]
    public async Task Card_RebuiltInAnotherCurrency_FailsNamingTheCardAndCurrency()
    {
        var fileId = await _kit.UploadAsync("eur.csv", Deck);
        await _api.RunAsync("card", DeckPayload(fileId, "dollars"));

        var created = await _api.CreateJobAsync(new
        {
            type = "card", attempts = 1,
            payload = new { fileId, name = "dollars", currency = "EUR", startRow = 3, columns = new { prefix = "Prefix", rate = "Rate" } },
        });
        var job = await _api.WaitForEndAsync(created.Id());

        Assert.Equal("failed", job.Status());
        Assert.Equal("card 'dollars' is in USD; a revision in EUR needs another card name", job.GetProperty("failedReason").GetString());
    }

    [Fact]
    public async Task Card_WithAFileOfAnotherTenant_FailsAsIfTheFileDidNotExist()
    {
        var fileId = await _kit.UploadAsync("other.csv", Deck, tenant: "someone-else");

        var created = await _api.CreateJobAsync(new { type = "card", payload = DeckPayload(fileId, "stolen"), attempts = 1 });
        var job = await _api.WaitForEndAsync(created.Id());

        Assert.Equal($"payload.fileId: there is no file {fileId} for tenant default", job.GetProperty("failedReason").GetString());
    }

    [Fact]
    public async Task Create_WithAnInvalidCardPayload_IsRefusedNamingEachField()
    {
        using var response = await _api.PostAsJsonAsync("/api/jobs", new
        {
            type = "card",
            payload = new { name = "", currency = "usd", columns = new { rate = "Rate" }, precision = 12, extra = 1 },
        });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string[] fields =
            ["payload.name", "payload.currency", "payload.columns.prefix", "payload.precision", "payload.extra", "payload.fileId"];
        foreach (var field in fields)
        {
            Assert.Contains($"\"{field}\"", body, StringComparison.Ordinal);
        }
    }

    /// <summary>A deck of <paramref name="rows"/> distinct 8-digit prefixes, big enough to watch its copy.</summary>
    public static Stream LargeDeck(int rows)
    {
        var text = new StringBuilder("Prefix,Rate\n", rows * 18);
        for (var i = 0; i < rows; i++)
        {
            text.Append(10_000_000 + i).Append(",0.0").Append(100 + (i % 900)).Append('\n');
        }

        return new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private Task WaitForCopyIntoRatesAsync() =>
        Eventually.Until(async () => await CopiesIntoRatesAsync() > 0, TimeSpan.FromSeconds(60), "a COPY into rating.rate runs");

    private Task<long> CopiesIntoRatesAsync() =>
        _kit.ScalarAsync<long>("SELECT count(*) FROM pg_stat_progress_copy WHERE relid = 'rating.rate'::regclass");

    /// <summary>Everything stored about a card: current revision, revisions and rates.</summary>
    private async Task<string> CardStateAsync(Guid cardId) => await _kit.ScalarAsync<string>("""
        SELECT c.current_revision || '|' || c.updated_at || '|'
            || (SELECT string_agg(r.revision || ':' || r.id || ':' || r.completed_at, ',' ORDER BY r.revision)
                FROM rating.card_revision r WHERE r.card_id = c.id) || '|'
            || (SELECT count(*) FROM rating.rate t JOIN rating.card_revision r ON r.id = t.revision_id WHERE r.card_id = c.id)
        FROM rating.card c WHERE c.id = $1
        """, cardId);
}
