using System.Text;
using System.Text.Json;
using Jobs.Rating.Cards;
using Jobs.Rating.Cdrs;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Rating;

/// <summary>
/// Two silos in processes of their own (so one can be killed outright) and the API joining them as a client, on a
/// fresh database, with the acme card built and a generated call file uploaded.
/// </summary>
public sealed class RatingCluster : IAsyncDisposable
{
    private RatingCluster(List<SiloProcess> silos, JobsApp api, RatingKit kit)
    {
        Silos = silos;
        Api = api;
        Kit = kit;
    }

    public List<SiloProcess> Silos { get; }

    public JobsApp Api { get; }

    public RatingKit Kit { get; }

    public static async Task<RatingCluster> StartAsync(string name, IDictionary<string, string>? siloSettings = null)
    {
        var server = await PostgresServer.GetAsync();
        var database = await server.CreateDatabaseAsync(name);

        // The first silo applies the schema; the second joins the cluster it formed.
        var silos = new List<SiloProcess> { await SiloProcess.StartAsync(database, siloSettings) };
        silos.Add(await SiloProcess.StartAsync(database, siloSettings));
        var api = new JobsApp().OnDatabase(database).With("Jobs:Mode", "client");
        await api.InitializeAsync();
        return new RatingCluster(silos, api, RatingKit.On(database));
    }

    /// <summary>Builds the acme card through a job; returns its id.</summary>
    public async Task<Guid> AcmeCardAsync()
    {
        var fileId = await Kit.UploadAsync("acme.csv", CardJobTests.Deck);
        var result = await Api.Operator().RunAsync("card", CardJobTests.DeckPayload(fileId, "acme"), TimeSpan.FromSeconds(90));
        return result.Guid("cardId");
    }

    /// <summary>What the rating library alone says of the calls, for comparing a cluster's totals with a clean run.</summary>
    public static async Task<CdrSummary> ExpectedAsync(byte[] calls)
    {
        var deck = await CardBuilder.BuildAsync(CardJobTests.Deck, new CardSettings
        {
            Name = "acme", Currency = "USD", StartRow = 3,
            Columns = new CardColumns { Prefix = "Prefix", Name = "Destination", Rate = "Rate", Billing = "Billing" },
        });
        var settings = new CdrSettings
        {
            Format = CdrFormat.Csv,
            Columns = new CdrColumns
            {
                Destination = "dst", BilledSeconds = "billsec", Disposition = "disposition", Start = "start", CallId = "id",
            },
        };
        return await new CdrRerater(deck.Card!, settings).RateAsync(new MemoryStream(calls), Stream.Null);
    }

    public static void AssertTotals(CdrSummary expected, JsonElement result)
    {
        Assert.Equal(
            (expected.Records, expected.Answered, expected.Rated, expected.Unmatched, expected.Blocked, expected.Skipped,
                expected.Bad, expected.BilledSeconds, expected.TotalChargeText),
            (Long("records"), Long("answered"), Long("rated"), Long("unmatched"), Long("blocked"), Long("skipped"), Long("bad"),
                Long("billedSeconds"), result.GetProperty("totalCharge").GetString()));

        long Long(string name) => result.GetProperty(name).GetInt64();
    }

    /// <summary>Whose silo a silo address (as stored) is.</summary>
    public SiloProcess Owner(string siloAddress) => Silos.Single(silo => silo.Owns(siloAddress));

    public string Output() => string.Join("\n---\n", Silos.Select(silo => silo.Output));

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        await Kit.DisposeAsync();
    }

    public static Stream Bytes(byte[] bytes) => new MemoryStream(bytes);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
