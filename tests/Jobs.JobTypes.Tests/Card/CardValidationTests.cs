using System.Text.Json;
using Jobs.Files;
using Jobs.JobTypes.Card;
using Jobs.JobTypes.Rating;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.JobTypes.Tests.Card;

public sealed class CardValidationTests
{
    /// <summary>The ids that stand for "FILE" and "CARD" in the payloads of these tests.</summary>
    public const string File = "0196f0c2-7a4e-7c3b-9a51-2f0d3e4b5c6d";
    public const string Card = "0196f0c2-7a4e-7c3b-9a51-2f0d3e4b5c6e";

    private static readonly string Deck =
        """{"fileId":"FILE","name":"acme","currency":"USD","columns":{"prefix":"Prefix","rate":"Rate"}}""";

    [Fact]
    public void Validate_WhenEveryDeckFieldIsGiven_Accepts()
    {
        var payload = """
            {"fileId":"FILE","name":"acme","currency":"USD","startRow":3,
             "columns":{"prefix":"Prefix","rate":"Rate","name":"Destination","connectionFee":"Fee","initialIncrement":"Min",
                        "increment":"Step","billing":"Billing","effectiveDate":"From","endDate":"To","blocked":"Blocked"},
             "prefixPrepend":"1","defaults":{"initialIncrement":6,"increment":6,"connectionFee":0.01},
             "precision":6,"rounding":"half-even","strict":true}
            """;

        var validation = Handler().Validate(Json(payload));

        Assert.True(validation.IsValid, string.Join("; ", validation.ToDictionary().Keys));
    }

    [Fact]
    public void Validate_WhenCardsAreCombined_AcceptsPickAndProfits()
    {
        var payload = """
            {"name":"retail","currency":"EUR","from":{"cards":["FILE"],"pick":"average"},
             "profit":[{"pattern":"44*","kind":"relative","value":1.25},{"pattern":"*","kind":"absolute","value":"0.001"}],
             "precision":4,"rounding":"up","rateDecimals":5}
            """;

        Assert.True(Handler().Validate(Json(payload)).IsValid);
    }

    [Theory]
    [InlineData("fileId", "\"not-an-id\"", "payload.fileId")]
    [InlineData("fileId", "null", "payload.fileId")]
    [InlineData("name", "\"\"", "payload.name")]
    [InlineData("name", "42", "payload.name")]
    [InlineData("currency", "\"usd\"", "payload.currency")]
    [InlineData("currency", "\"DOLLARS\"", "payload.currency")]
    [InlineData("startRow", "0", "payload.startRow")]
    [InlineData("startRow", "\"3\"", "payload.startRow")]
    [InlineData("columns", "\"Prefix\"", "payload.columns")]
    [InlineData("columns", "{\"rate\":\"Rate\"}", "payload.columns.prefix")]
    [InlineData("columns", "{\"prefix\":\"Prefix\"}", "payload.columns.rate")]
    [InlineData("columns", "{\"prefix\":\"Prefix\",\"rate\":\"Rate\",\"fee\":\"Fee\"}", "payload.columns.fee")]
    [InlineData("columns", "{\"prefix\":\"Prefix\",\"rate\":\"Rate\",\"billing\":7}", "payload.columns.billing")]
    [InlineData("prefixPrepend", "\"+1\"", "payload.prefixPrepend")]
    [InlineData("defaults", "{\"initialIncrement\":0}", "payload.defaults.initialIncrement")]
    [InlineData("defaults", "{\"increment\":3601}", "payload.defaults.increment")]
    [InlineData("defaults", "{\"connectionFee\":-1}", "payload.defaults.connectionFee")]
    [InlineData("defaults", "{\"connectionFee\":0.000000000001}", "payload.defaults.connectionFee")]
    [InlineData("defaults", "{\"minimum\":1}", "payload.defaults.minimum")]
    [InlineData("precision", "9", "payload.precision")]
    [InlineData("rounding", "\"nearest\"", "payload.rounding")]
    [InlineData("strict", "\"yes\"", "payload.strict")]
    [InlineData("colums", "{}", "payload.colums")]
    public void Validate_WhenADeckFieldIsWrong_RefusesNamingIt(string field, string value, string path)
    {
        var validation = Handler().Validate(With(Deck, field, value));

        Assert.False(validation.IsValid);
        Assert.Contains(path, validation.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("""{"cards":[]}""", "payload.from.cards")]
    [InlineData("""{"cards":["x"]}""", "payload.from.cards[0]")]
    [InlineData("""{"cards":["FILE","FILE"]}""", "payload.from.cards[1]")]
    [InlineData("""{"cards":["FILE"],"pick":"cheap"}""", "payload.from.pick")]
    [InlineData("""{"cards":["FILE"],"strategy":"cheapest"}""", "payload.from.strategy")]
    [InlineData("[]", "payload.from")]
    public void Validate_WhenTheSourceCardsAreWrong_RefusesNamingTheField(string from, string path)
    {
        var validation = Handler().Validate(Json("""{"name":"r","currency":"USD","from":FROM}""".Replace("FROM", from)));

        Assert.Contains(path, validation.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("""[{"pattern":"4x*","kind":"absolute","value":1}]""", "payload.profit[0].pattern")]
    [InlineData("""[{"pattern":"44","kind":"multiply","value":1}]""", "payload.profit[0].kind")]
    [InlineData("""[{"pattern":"44","kind":"percent","value":-5}]""", "payload.profit[0].value")]
    [InlineData("""[{"pattern":"44","kind":"percent"}]""", "payload.profit[0].value")]
    [InlineData("""[{"pattern":"44","kind":"percent","value":5,"cap":1}]""", "payload.profit[0].cap")]
    [InlineData("""["44*"]""", "payload.profit[0]")]
    public void Validate_WhenAProfitRuleIsWrong_RefusesNamingItsField(string profit, string path)
    {
        var payload = """{"name":"r","currency":"USD","from":{"cards":["FILE"]},"profit":PROFIT}""".Replace("PROFIT", profit);

        Assert.Contains(path, Handler().Validate(Json(payload)).ToDictionary().Keys);
    }

    [Fact]
    public void Validate_WhenBothADeckAndCardsAreGiven_RefusesTheMix()
    {
        var payload = """{"fileId":"FILE","name":"r","currency":"USD","from":{"cards":["FILE"]}}""";

        var errors = Handler().Validate(Json(payload)).ToDictionary();

        Assert.Equal("a card is built from a deck (fileId) or from other cards (from), not both", Assert.Single(errors["payload.from"]));
    }

    [Fact]
    public void Validate_WhenACombinedCardHasDeckFields_RefusesThem()
    {
        var payload = """{"name":"r","currency":"USD","from":{"cards":["FILE"]},"columns":{"prefix":"P","rate":"R"}}""";

        Assert.Contains("payload.columns", Handler().Validate(Json(payload)).ToDictionary().Keys);
    }

    [Fact]
    public void Summarize_ADeckPayload_GivesTheCardAndItsFile()
    {
        var summary = Handler().Summarize(Json(Deck));

        Assert.Equal("acme", summary!["card"]);
        Assert.Equal($"file {File}", summary["from"]);
    }

    internal static CardHandler Handler()
    {
        var options = Options.Create(new RatingOptions());

        // Validation touches neither the database nor files; the data source never connects.
        var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        return new CardHandler(
            new CardStore(dataSource, new CardCache(options)),
            new PostgresFileStore(dataSource),
            options,
            NullLogger<CardHandler>.Instance);
    }

    internal static JsonElement Json(string text) => JsonDocument.Parse(
        text.Replace("\"FILE\"", $"\"{File}\"", StringComparison.Ordinal).Replace("\"CARD\"", $"\"{Card}\"", StringComparison.Ordinal))
        .RootElement.Clone();

    /// <summary>The payload with <paramref name="field"/> set to <paramref name="value"/> (JSON).</summary>
    internal static JsonElement With(string payload, string field, string value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(payload)!.AsObject();
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        return Json(node.ToJsonString());
    }
}
