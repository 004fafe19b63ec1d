using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Queues;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Api;

/// <summary>Queue settings read and changed over HTTP, applied on every silo without a restart.</summary>
public sealed class QueueSettingsTests(JobsApp app) : IClassFixture<JobsApp>
{
    private readonly HttpClient _operator = app.Operator();

    [Fact]
    public async Task GetSettings_ShowsDefaults_FailedKeptLongerThanCompleted()
    {
        var settings = await _operator.GetFromJsonAsync<JsonElement>("/api/queues/card/settings");

        Assert.Equal("card", settings.GetProperty("type").GetString());
        Assert.True(settings.GetProperty("concurrency").GetInt32() > 0);
        Assert.Equal("exponential", settings.GetProperty("defaultBackoff").GetProperty("kind").GetString());
        Assert.True(settings.GetProperty("failed").GetProperty("maxAgeMs").GetDouble()
                    > settings.GetProperty("completed").GetProperty("maxAgeMs").GetDouble());
    }

    [Fact]
    public async Task PutSettings_ChangesOnlyTheFieldsSent_AndASecondSiloAppliesThem()
    {
        await using var second = new JobsApp().OnDatabase(app.ConnectionString);
        await second.InitializeAsync();
        var before = await _operator.GetFromJsonAsync<JsonElement>("/api/queues/cdr/settings");

        using var response = await _operator.PutAsJsonAsync("/api/queues/cdr/settings", new
        {
            concurrency = 3,
            defaultAttempts = 7,
            defaultBackoff = new { kind = "fixed", delayMs = 250 },
            defaultTimeoutMs = 60_000,
            completed = new { maxCount = 10 },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await response.ReadJsonAsync();
        Assert.Equal(3, after.GetProperty("concurrency").GetInt32());
        Assert.Equal(7, after.GetProperty("defaultAttempts").GetInt32());
        Assert.Equal(250, after.GetProperty("defaultBackoff").GetProperty("delayMs").GetDouble());
        Assert.Equal(60_000, after.GetProperty("defaultTimeoutMs").GetDouble());
        Assert.Equal(10, after.GetProperty("completed").GetProperty("maxCount").GetInt32());
        Assert.Equal(before.GetProperty("completed").GetProperty("maxAgeMs").GetDouble(),
            after.GetProperty("completed").GetProperty("maxAgeMs").GetDouble());
        Assert.Equal(before.GetProperty("failed").ToString(), after.GetProperty("failed").ToString());
        Assert.True(after.GetProperty("version").GetInt64() > before.GetProperty("version").GetInt64());

        var lanes = second.Services.GetRequiredService<QueueWorkers>();
        await Eventually.Until(async () => (await lanes.GetSettingsAsync("cdr")).Concurrency == 3,
            TimeSpan.FromSeconds(10), "the second silo's cdr lane runs 3 at once");
        var seenThere = await second.Operator().GetFromJsonAsync<JsonElement>("/api/queues/cdr/settings");
        Assert.Equal(7, seenThere.GetProperty("defaultAttempts").GetInt32());
    }

    [Fact]
    public async Task PutSettings_WithTheBodyOfAGetChanged_AppliesIt_AndASecondPutOfTheSameVersionIsAConflict()
    {
        var read = await _operator.GetFromJsonAsync<JsonElement>("/api/queues/orc/settings");
        var body = System.Text.Json.Nodes.JsonNode.Parse(read.GetRawText())!.AsObject();
        body["concurrency"] = read.GetProperty("concurrency").GetInt32() + 1;

        using var put = await _operator.PutAsJsonAsync("/api/queues/orc/settings", body);
        using var again = await _operator.PutAsJsonAsync("/api/queues/orc/settings", body);
        body["type"] = "cdr";
        body.Remove("version");
        using var otherQueue = await _operator.PutAsJsonAsync("/api/queues/orc/settings", body);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(read.GetProperty("concurrency").GetInt32() + 1, (await put.ReadJsonAsync()).GetProperty("concurrency").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherQueue.StatusCode);
        Assert.Contains("\"type\"", await otherQueue.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutSettings_ThatChangeNothing_KeepTheVersion_AndANegativeVersionIs400()
    {
        var read = await _operator.GetFromJsonAsync<JsonElement>("/api/queues/transcribe/settings");

        using var same = await _operator.PutAsJsonAsync("/api/queues/transcribe/settings", new
        {
            version = read.GetProperty("version").GetInt64(),
            concurrency = read.GetProperty("concurrency").GetInt32(),
        });
        using var negative = await _operator.PutAsJsonAsync("/api/queues/transcribe/settings", new { version = -1 });

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(read.GetProperty("version").GetInt64(), (await same.ReadJsonAsync()).GetProperty("version").GetInt64());
        await negative.AssertFieldErrorAsync("version");
    }

    [Fact]
    public async Task PutSettings_DefaultsApplyToNewJobs()
    {
        using var put = await _operator.PutAsJsonAsync("/api/queues/noop/settings", new { defaultAttempts = 4 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var lanes = app.Services.GetRequiredService<QueueWorkers>();
        await Eventually.Until(async () => (await lanes.GetSettingsAsync("noop")).DefaultAttempts == 4,
            TimeSpan.FromSeconds(10), "this silo has the new default");

        var job = await _operator.CreateJobAsync(new { type = "noop", payload = new { } });

        Assert.Equal(4, job.GetProperty("attempts").GetInt32());
        using var restore = await _operator.PutAsJsonAsync("/api/queues/noop/settings", new { defaultAttempts = 3 });
    }

    [Theory]
    [InlineData("""{"concurrency":0}""", "concurrency")]
    [InlineData("""{"concurrency":"many"}""", "concurrency")]
    [InlineData("""{"concurrency":1.5}""", "concurrency")]
    [InlineData("""{"defaultAttempts":101}""", "defaultAttempts")]
    [InlineData("""{"defaultBackoff":{"delayMs":5}}""", "defaultBackoff.kind")]
    [InlineData("""{"defaultBackoff":{"kind":"linear","delayMs":5}}""", "defaultBackoff.kind")]
    [InlineData("""{"defaultBackoff":{"kind":"fixed","delayMs":500,"maxDelayMs":100}}""", "defaultBackoff.maxDelayMs")]
    [InlineData("""{"defaultTimeoutMs":0}""", "defaultTimeoutMs")]
    [InlineData("""{"completed":{"maxAgeMs":10}}""", "completed.maxAgeMs")]
    [InlineData("""{"failed":{"maxCount":-1}}""", "failed.maxCount")]
    [InlineData("""{"failed":{"keep":1}}""", "failed.keep")]
    [InlineData("""{"speed":1}""", "speed")]
    public async Task PutSettings_WithABadField_Is400NamingIt_AndChangesNothing(string body, string field)
    {
        var before = await _operator.GetStringAsync("/api/queues/orc/settings");

        using var response = await _operator.PutAsync("/api/queues/orc/settings", ApiCalls.Json(body));

        await response.AssertFieldErrorAsync(field);
        Assert.Equal(before, await _operator.GetStringAsync("/api/queues/orc/settings"));
    }

    [Fact]
    public async Task Settings_OfAnUnknownQueue_Is404()
    {
        using var get = await _operator.GetAsync("/api/queues/fax/settings");
        using var put = await _operator.PutAsJsonAsync("/api/queues/fax/settings", new { concurrency = 1 });

        await get.AssertProblemAsync(HttpStatusCode.NotFound);
        await put.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Queues_ListTheBulkType()
    {
        var queues = await _operator.GetFromJsonAsync<JsonElement>("/api/queues");

        Assert.Contains(queues.EnumerateArray(), q => q.GetProperty("type").GetString() == "bulk");
    }
}
