using Jobs.Files;
using Jobs.JobTypes.Cdr;
using Jobs.JobTypes.Rating;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Jobs.JobTypes.Tests.Card;
using static Jobs.JobTypes.Tests.Card.CardValidationTests;

namespace Jobs.JobTypes.Tests.Cdr;

public sealed class CdrValidationTests
{
    private static readonly string Master =
        """{"cardId":"CARD","source":{"fileId":"FILE","format":"asterisk-master"}}""";

    [Fact]
    public void Validate_WhenEveryFieldOfAFileSourceIsGiven_Accepts()
    {
        var payload = """
            {"cardId":"CARD","revision":2,"countryCode":"1","timeZone":"America/New_York","partitions":8,
             "keepCalls":false,
             "numberPlan":{"nationalNumberLength":10,"internationalPrefixes":["011"],"trunkPrefix":"0","bareNumbersAreE164":true},
             "source":{"fileId":"FILE","format":"csv","defaultStart":"2026-03-01T00:00:00",
                       "columns":{"destination":"dst","billedSeconds":"billsec","disposition":"disposition",
                                  "start":"calldate","callId":"uniqueid"}}}
            """;

        var validation = Handler().Validate(Json(payload));

        Assert.True(validation.IsValid, string.Join("; ", validation.ToDictionary().Keys));
    }

    [Fact]
    public void Validate_WhenTheSourceIsStoredCalls_Accepts()
    {
        var payload = """
            {"cardId":"CARD","source":{"stored":{"tenant":"acme","from":"2026-03-01","to":"2026-04-01T00:00:00"}}}
            """;

        Assert.True(Handler().Validate(Json(payload)).IsValid);
    }

    [Theory]
    [InlineData("cardId", "\"card-1\"", "payload.cardId")]
    [InlineData("cardId", "null", "payload.cardId")]
    [InlineData("revision", "0", "payload.revision")]
    [InlineData("revision", "1.5", "payload.revision")]
    [InlineData("countryCode", "\"+1\"", "payload.countryCode")]
    [InlineData("countryCode", "\"1234\"", "payload.countryCode")]
    [InlineData("timeZone", "\"Mars/Olympus\"", "payload.timeZone")]
    [InlineData("partitions", "0", "payload.partitions")]
    [InlineData("partitions", "5000", "payload.partitions")]
    [InlineData("keepCalls", "1", "payload.keepCalls")]
    [InlineData("numberPlan", "{\"nationalNumberLength\":3}", "payload.numberPlan.nationalNumberLength")]
    [InlineData("numberPlan", "{\"internationalPrefixes\":[\"+\"]}", "payload.numberPlan.internationalPrefixes[0]")]
    [InlineData("numberPlan", "{\"trunkPrefix\":\"O\"}", "payload.numberPlan.trunkPrefix")]
    [InlineData("numberPlan", "{\"countryCode\":\"44\"}", "payload.numberPlan.countryCode")]
    [InlineData("source", "\"Master.csv\"", "payload.source")]
    [InlineData("source", "null", "payload.source")]
    [InlineData("cdrs", "{}", "payload.cdrs")]
    public void Validate_WhenAFieldIsWrong_RefusesNamingIt(string field, string value, string path)
    {
        var validation = Handler().Validate(With(Master, field, value));

        Assert.False(validation.IsValid);
        Assert.Contains(path, validation.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("""{"format":"asterisk-master"}""", "payload.source.fileId")]
    [InlineData("""{"fileId":"FILE"}""", "payload.source.format")]
    [InlineData("""{"fileId":"FILE","format":"xlsx"}""", "payload.source.format")]
    [InlineData("""{"fileId":"FILE","format":"csv"}""", "payload.source.columns")]
    [InlineData("""{"fileId":"FILE","format":"asterisk-master","columns":{"destination":"dst"}}""", "payload.source.columns")]
    [InlineData("""{"fileId":"FILE","format":"csv","columns":{"billedSeconds":"b","start":"s"}}""", "payload.source.columns.destination")]
    [InlineData("""{"fileId":"FILE","format":"csv","columns":{"destination":"d","start":"s"}}""", "payload.source.columns.billedSeconds")]
    [InlineData("""{"fileId":"FILE","format":"csv","columns":{"destination":"d","billedSeconds":"b"}}""", "payload.source.columns.start")]
    [InlineData(
        """{"fileId":"FILE","format":"csv","columns":{"destination":"d","billedSeconds":"b","start":"s","cost":"c"}}""",
        "payload.source.columns.cost")]
    [InlineData("""{"fileId":"FILE","format":"asterisk-master","defaultStart":"yesterday"}""", "payload.source.defaultStart")]
    [InlineData("""{"fileId":"FILE","format":"asterisk-master","encoding":"latin1"}""", "payload.source.encoding")]
    [InlineData("""{"stored":{"from":"2026-03-01"}}""", "payload.source.stored.to")]
    [InlineData("""{"stored":{"to":"2026-03-01"}}""", "payload.source.stored.from")]
    [InlineData("""{"stored":{"from":"2026-03-02","to":"2026-03-01"}}""", "payload.source.stored.to")]
    [InlineData("""{"stored":{"tenant":"","from":"2026-03-01","to":"2026-03-02"}}""", "payload.source.stored.tenant")]
    [InlineData("""{"stored":{"from":"2026-03-01","to":"2026-03-02"},"format":"csv"}""", "payload.source.format")]
    [InlineData("""{"stored":"yesterday"}""", "payload.source.stored")]
    public void Validate_WhenTheSourceIsWrong_RefusesNamingTheField(string source, string path)
    {
        var validation = Handler().Validate(Json("""{"cardId":"CARD","source":SOURCE}""".Replace("SOURCE", source)));

        Assert.Contains(path, validation.ToDictionary().Keys);
    }

    [Fact]
    public void Validate_WhenStoredCallsAreToBeKept_RefusesKeepCalls()
    {
        var payload = """{"cardId":"CARD","keepCalls":true,"source":{"stored":{"from":"2026-03-01","to":"2026-03-02"}}}""";

        Assert.Contains("payload.keepCalls", Handler().Validate(Json(payload)).ToDictionary().Keys);
    }

    [Fact]
    public void Summarize_AStoredSource_GivesTheCardAndTheTimeRange()
    {
        var payload = """{"cardId":"CARD","source":{"stored":{"from":"2026-03-01","to":"2026-03-02T12:00:00"}}}""";

        var summary = Handler().Summarize(Json(payload));

        Assert.Equal(CardValidationTests.Card, summary!["card"]);
        Assert.Equal("stored calls 2026-03-01 00:00 to 2026-03-02 12:00", summary["source"]);
    }

    private static CdrHandler Handler()
    {
        var options = Options.Create(new RatingOptions());
        var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        var files = new PostgresFileStore(dataSource);
        var cards = new CardStore(dataSource, new CardCache(options));
        var calls = new CallStore(dataSource);
        var runs = new CdrRunStore(dataSource);
        return new CdrHandler(
            new CdrPlanner(cards, calls, files, options),
            new PartitionCoordinator(runs, options, NullLogger<PartitionCoordinator>.Instance),
            runs,
            cards,
            files,
            options,
            NullLogger<CdrHandler>.Instance);
    }
}
