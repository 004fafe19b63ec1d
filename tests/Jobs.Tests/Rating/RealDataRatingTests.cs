using Jobs.Rating.Cards;
using Jobs.Rating.Cdrs;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Rating;

/// <summary>
/// The demo of docs/rating-demo.md as a test: the real US deck built by a card job, the real Asterisk export re-rated
/// by a cdr job, and both compared with what the rating library says of the same files. Skipped where the shared
/// real data (never committed) is not on the machine.
/// </summary>
public sealed class RealDataRatingTests(JobsApp app) : IClassFixture<JobsApp>, IAsyncLifetime
{
    private const string Deck = "rates/us-npanxx-deck.csv";
    private const string Calls = "cdrs/asterisk-cdr.csv";

    private readonly HttpClient _api = app.Operator();
    private RatingKit _kit = null!;

    public Task InitializeAsync()
    {
        _kit = RatingKit.On(app.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    /// <summary>The card payload of the demo: NPANXX prefixed with 1, billed in 6-second steps.</summary>
    public static object DeckPayload(Guid fileId) => new
    {
        fileId, name = "us-npanxx", currency = "USD", columns = new { prefix = "NPANXX", rate = "Rate" },
        prefixPrepend = "1", defaults = new { initialIncrement = 6, increment = 6 }, precision = 4, rounding = "half-up",
    };

    /// <summary>The column mapping of the real Asterisk table export.</summary>
    public static object ExportColumns => new
    {
        destination = "dst", billedSeconds = "billsec", disposition = "disposition", start = "calldate", callId = "uniqueid",
    };

    [RealDataFact(Deck, Calls)]
    public async Task RealData_UsDeckAndAsteriskExport_RerateLikeTheLibraryDoes()
    {
        var deckPath = SharedData.PathOf(Deck)!;
        var callsPath = SharedData.PathOf(Calls)!;
        var deckId = await _kit.UploadAsync("us-npanxx-deck.csv", File.OpenRead(deckPath));
        var callsId = await _kit.UploadAsync("asterisk-cdr.csv", File.OpenRead(callsPath));

        var card = await _api.RunAsync("card", DeckPayload(deckId), TimeSpan.FromSeconds(120));
        var rerated = await _api.RunAsync("cdr", new
        {
            cardId = card.Guid("cardId"), countryCode = "1",
            source = new { fileId = callsId, format = "csv", columns = ExportColumns },
        }, TimeSpan.FromSeconds(120));

        Assert.Equal((184_215, 0), (card.GetProperty("rows").GetInt32(), card.GetProperty("rejected").GetInt32()));
        var expected = await ExpectedAsync(deckPath, callsPath);
        Assert.Equal(1_000, expected.Records);
        RatingCluster.AssertTotals(expected, rerated);
        var output = await _kit.DownloadAsync(rerated.Guid("outputFileId"));
        Assert.Equal(1_002, output.Split('\n').Length);
    }

    private static async Task<CdrSummary> ExpectedAsync(string deckPath, string callsPath)
    {
        await using var deck = File.OpenRead(deckPath);
        var built = await CardBuilder.BuildAsync(deck, new CardSettings
        {
            Name = "us-npanxx", Currency = "USD", PrefixPrepend = "1",
            Columns = new CardColumns { Prefix = "NPANXX", Rate = "Rate" },
            Defaults = new CardDefaults { InitialIncrement = 6, Increment = 6 },
        });
        var settings = new CdrSettings
        {
            Format = CdrFormat.Csv,
            Columns = new CdrColumns
            {
                Destination = "dst", BilledSeconds = "billsec", Disposition = "disposition", Start = "calldate", CallId = "uniqueid",
            },
        };
        await using var calls = File.OpenRead(callsPath);
        return await new CdrRerater(built.Card!, settings).RateAsync(calls, Stream.Null);
    }
}

/// <summary>
/// Finds the shared real data that is never committed: JOBS_SHARED_DATA if set, otherwise a shared/data folder beside
/// the repository or one of its parents.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The full path of a shared file, or null when it is not on this machine.</summary>
    public static string? PathOf(string relative) =>
        Root.Value is { } root && File.Exists(Path.Combine(root, relative)) ? Path.Combine(root, relative) : null;

    private static string? FindRoot()
    {
        if (Environment.GetEnvironmentVariable("JOBS_SHARED_DATA") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that needs files of the shared real data, and is skipped where one is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(params string[] relativePaths)
    {
        var missing = relativePaths.Where(path => SharedData.PathOf(path) is null).ToList();
        if (missing.Count > 0)
        {
            Skip = $"Real data {string.Join(", ", missing)} is not on this machine (shared/data or JOBS_SHARED_DATA).";
        }
    }
}
