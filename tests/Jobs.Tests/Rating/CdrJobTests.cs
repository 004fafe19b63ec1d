using System.Globalization;
using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Rating;

/// <summary>Re-rates through the HTTP API and a real silo: files of both formats, stored calls, revisions by time.</summary>
public sealed class CdrJobTests(JobsApp app) : IClassFixture<JobsApp>, IAsyncLifetime
{
    private readonly HttpClient _api = app.Operator();
    private RatingKit _kit = null!;

    public Task InitializeAsync()
    {
        _kit = RatingKit.On(app.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task Cdr_OfAMasterCsv_AccountsForEveryRecordAndStoresTheRatedOutput()
    {
        var cardId = await AcmeCardAsync("acme-master");
        var fileId = await _kit.UploadAsync("Master.csv", CdrFixtures.Master());

        var result = await _api.RunAsync("cdr", new { cardId, source = new { fileId, format = "asterisk-master" } });

        Assert.Equal(
            (8L, 5L, 3L, 1L, 0L, 3L, 1L, 192L, "0.0784"),
            (Long(result, "records"), Long(result, "answered"), Long(result, "rated"), Long(result, "unmatched"),
                Long(result, "blocked"), Long(result, "skipped"), Long(result, "bad"), Long(result, "billedSeconds"),
                result.GetProperty("totalCharge").GetString()));
        Assert.Equal("USD", result.GetProperty("currency").GetString());
        Assert.Equal([1], result.GetProperty("revisions").EnumerateArray().Select(revision => revision.GetInt32()));
        Assert.Equal(7L, Long(result, "callsKept"));
        var output = (await _kit.DownloadAsync(result.Guid("outputFileId"))).Split('\n');
        Assert.Equal(
        [
            "line,call_id,start,destination,number,disposition,billsec,status,reason,prefix,name,billed_seconds,rate,charge",
            "1,c1,2026-03-01 10:00:00,2484361721,12484361721,ANSWERED,37,rated,,1248,US Michigan,42,0.0120,0.0084",
            "2,c2,2026-03-01 10:05:00,011442071234567,442071234567,ANSWERED,61,rated,,4420,\"UK London, city\",120,0.0300,0.0600",
            "3,c3,2026-03-01 10:06:00,2484361721,,NO ANSWER,12,skipped,not answered,,,0,,0.0000",
            "4,c4,2026-03-01 10:07:00,1115,,ANSWERED,20,skipped,internal number,,,0,,0.0000",
            "5,c5,2026-03-01 10:08:00,0114930123456,4930123456,ANSWERED,30,rated,,49,Germany,30,0.0200,0.0100",
            "6,c6,2026-03-01 10:09:00,011339999999,339999999,ANSWERED,30,unmatched,no prefix matches,,,0,,0.0000",
        ], output[..7]);
        Assert.StartsWith("7,c7,2026-03-01 10:10:00,2484361721,,ANSWERED,abc,bad,billsec 'abc'", output[7], StringComparison.Ordinal);
        Assert.Equal("8,c8,2026-03-01 10:11:00,2484361721,,ANSWERED,0,skipped,no billed seconds,,,0,,0.0000", output[8]);
        Assert.Equal("", output[9]);
    }

    [Fact]
    public async Task Cdr_OfAHeadedCsv_ReadsTheMappedColumnsAndLogsTheIssues()
    {
        var cardId = await AcmeCardAsync("acme-headed");
        var fileId = await _kit.UploadAsync("export.csv", CdrFixtures.Headed);

        var created = await _api.CreateJobAsync(new
        {
            type = "cdr", attempts = 1,
            payload = new { cardId, source = new { fileId, format = "csv", columns = CdrFixtures.HeadedColumns } },
        });
        var job = await _api.WaitForEndAsync(created.Id());

        Assert.Equal("completed", job.Status());
        var result = job.GetProperty("result");
        Assert.Equal((4L, 3L, 2L, 1L, 1L, 162L, "0.1084"),
            (Long(result, "records"), Long(result, "answered"), Long(result, "rated"), Long(result, "unmatched"),
                Long(result, "skipped"), Long(result, "billedSeconds"), result.GetProperty("totalCharge").GetString()));
        Assert.Contains("line 5: unmatched '0118613800000000': no prefix matches", RatingCalls.Logs(job), StringComparison.Ordinal);
        var output = (await _kit.DownloadAsync(result.Guid("outputFileId"))).Split('\n');
        Assert.Equal(
            "2,1543540774.0,2026-03-02 20:19:34,2484361721,12484361721,ANSWERED,37,rated,,1248,US Michigan,42,0.0120,0.0084",
            output[1]);
    }

    [Fact]
    public async Task Cdr_OfStoredCalls_GivesTheSameTotalsAsTheFileThatKeptThem_CountingARepeatedFileOnce()
    {
        var tenant = "stored-" + Guid.NewGuid().ToString("N")[..8];
        var cardId = await AcmeCardAsync("acme-stored", tenant);
        var fileId = await _kit.UploadAsync("calls.csv", new MemoryStream(CdrFixtures.Generated(5_000)), tenant);
        object FilePayload(int partitions) => new
        {
            cardId, partitions, source = new { fileId, format = "csv", columns = CdrFixtures.GeneratedColumns },
        };
        var fromFile = await RunAsync(tenant, FilePayload(3));
        await RunAsync(tenant, FilePayload(1));

        var fromStore = await RunAsync(tenant, new
        {
            cardId, partitions = 4, source = new { stored = new { from = "2026-03-01T00:00:00", to = "2026-03-02T00:00:00" } },
        });

        Assert.Equal(5_000L, Long(fromFile, "callsKept"));
        foreach (var total in new[] { "records", "answered", "rated", "unmatched", "blocked", "skipped", "bad", "billedSeconds" })
        {
            Assert.Equal(Long(fromFile, total), Long(fromStore, total));
        }

        Assert.Equal(fromFile.GetProperty("totalCharge").GetString(), fromStore.GetProperty("totalCharge").GetString());
        var output = (await _kit.DownloadAsync(fromStore.Guid("outputFileId"), tenant)).Split('\n');
        Assert.Equal(5_002, output.Length);
        Assert.StartsWith("5000,g4999,2026-03-01 09:43:13,", output[5_000], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cdr_RunTwiceOverTheSameFile_GivesByteIdenticalOutputs()
    {
        var cardId = await AcmeCardAsync("acme-twice");
        var fileId = await _kit.UploadAsync("twice.csv", new MemoryStream(CdrFixtures.Generated(3_000, seed: 3)));
        var payload = new
        {
            cardId, partitions = 5, keepCalls = false, source = new { fileId, format = "csv", columns = CdrFixtures.GeneratedColumns },
        };

        var first = await _api.RunAsync("cdr", payload);
        var second = await _api.RunAsync("cdr", payload);

        Assert.NotEqual(first.Guid("outputFileId"), second.Guid("outputFileId"));
        Assert.Equal(await _kit.DownloadAsync(first.Guid("outputFileId")), await _kit.DownloadAsync(second.Guid("outputFileId")));
        Assert.False(first.TryGetProperty("callsKept", out _));
    }

    [Fact]
    public async Task Cdr_WithoutARevision_RatesEachCallByTheRevisionInForceAtItsStart()
    {
        var first = await _api.RunAsync("card", CardPayload(await _kit.UploadAsync("r1.csv", "Prefix,Rate\n1248,0.0100\n"), "timed"));
        var second = await _api.RunAsync("card", CardPayload(await _kit.UploadAsync("r2.csv", "Prefix,Rate\n1248,0.0200\n"), "timed"));
        var inForce = second.GetProperty("completedAt").GetDateTimeOffset().UtcDateTime;
        string Row(string id, DateTime start) => CdrFixtures.MasterRow(
            "2484361721", 60, "ANSWERED", start.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), id);
        var fileId = await _kit.UploadAsync("timed.csv", Row("before", inForce.AddMinutes(-10)) + Row("after", inForce.AddMinutes(10)));
        var cardId = first.Guid("cardId");

        var byTime = await _api.RunAsync("cdr", new { cardId, source = new { fileId, format = "asterisk-master" } });
        var pinned = await _api.RunAsync("cdr", new { cardId, revision = 1, source = new { fileId, format = "asterisk-master" } });

        Assert.Equal("0.0300", byTime.GetProperty("totalCharge").GetString());
        Assert.Equal([1, 2], byTime.GetProperty("revisions").EnumerateArray().Select(revision => revision.GetInt32()));
        Assert.Equal("0.0200", pinned.GetProperty("totalCharge").GetString());
    }

    [Fact]
    public async Task Cdr_OfAnUnknownCardOrRevision_FailsNamingTheField()
    {
        var cardId = await AcmeCardAsync("acme-missing");
        var fileId = await _kit.UploadAsync("m.csv", CdrFixtures.Master());

        var noCard = await FailAsync(new { cardId = Guid.NewGuid(), source = new { fileId, format = "asterisk-master" } });
        var noRevision = await FailAsync(new { cardId, revision = 9, source = new { fileId, format = "asterisk-master" } });
        var noFile = await FailAsync(new { cardId, source = new { fileId = Guid.NewGuid(), format = "asterisk-master" } });

        Assert.StartsWith("payload.cardId: there is no card", noCard, StringComparison.Ordinal);
        Assert.Equal("payload.revision: card 'acme-missing' has no revision 9 (its current revision is 1)", noRevision);
        Assert.StartsWith("payload.source.fileId: there is no file", noFile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cdr_WhenAMappedColumnIsNotInTheHeader_FailsPermanentlyNamingIt()
    {
        var cardId = await AcmeCardAsync("acme-columns");
        var fileId = await _kit.UploadAsync("h.csv", CdrFixtures.Headed);

        var reason = await FailAsync(new
        {
            cardId,
            source = new
            {
                fileId, format = "csv", columns = new { destination = "dialed", billedSeconds = "billsec", start = "calldate" },
            },
        });

        Assert.Contains("column 'dialed' (columns.destination) is not in the header", reason, StringComparison.Ordinal);
    }

    private async Task<Guid> AcmeCardAsync(string name, string tenant = RatingKit.Tenant)
    {
        var fileId = await _kit.UploadAsync(name + ".csv", CardJobTests.Deck, tenant);
        var result = await RunAsync(tenant, "card", CardJobTests.DeckPayload(fileId, name));
        return result.Guid("cardId");
    }

    private async Task<JsonElement> RunAsync(string tenant, object payload) => await RunAsync(tenant, "cdr", payload);

    private async Task<JsonElement> RunAsync(string tenant, string type, object payload)
    {
        var created = await _api.CreateJobAsync(new { type, tenant, payload, attempts = 1 });
        var job = await _api.WaitForEndAsync(created.Id());
        if (job.Status() != "completed")
        {
            Assert.Fail($"{type} failed: {job.GetProperty("failedReason")}\n{RatingCalls.Logs(job)}");
        }

        return job.GetProperty("result");
    }

    private async Task<string> FailAsync(object payload)
    {
        var created = await _api.CreateJobAsync(new { type = "cdr", payload, attempts = 1 });
        var job = await _api.WaitForEndAsync(created.Id());
        Assert.Equal("failed", job.Status());
        return job.GetProperty("failedReason").GetString()!;
    }

    private static object CardPayload(Guid fileId, string name) =>
        new { fileId, name, currency = "USD", columns = new { prefix = "Prefix", rate = "Rate" } };

    private static long Long(JsonElement result, string name) => result.GetProperty(name).GetInt64();
}
