using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

/// <summary>Bad requests get ProblemDetails that say what was wrong and where; nothing is created.</summary>
public sealed class JobRequestTests(JobsApp app) : IClassFixture<JobsApp>
{
    private readonly HttpClient _api = app.Operator();

    [Theory]
    [InlineData("""{"payload": {}}""", "type", "is required")]
    [InlineData("""{"type": "fax"}""", "type", "is not a job type")]
    [InlineData("""{"type": "noop", "colour": "red"}""", "colour", "is not a known field")]
    [InlineData("""{"type": "noop", "attempts": "three"}""", "attempts", "wrong type")]
    [InlineData("""{"type": "noop", "attempts": 0}""", "attempts", "between 1 and 100")]
    [InlineData("""{"type": "noop", "priority": 5000}""", "priority", "between -1000 and 1000")]
    [InlineData("""{"type": "noop", "delayMs": 10, "runAt": "2030-01-01T00:00:00Z"}""", "runAt", "not both")]
    [InlineData("""{"type": "noop", "delayMs": -5}""", "delayMs", "between")]
    [InlineData("""{"type": "noop", "timeoutMs": 0}""", "timeoutMs", "between")]
    [InlineData("""{"type": "noop", "backoff": {"kind": "linear", "delayMs": 5}}""", "backoff.kind", "wrong type")]
    [InlineData("""{"type": "noop", "backoff": {"kind": "fixed"}}""", "backoff.delayMs", "is required")]
    [InlineData("""{"type": "noop", "backoff": {"kind": "fixed", "delayMs": 500, "maxDelayMs": 100}}""", "backoff.maxDelayMs", "less than delayMs")]
    [InlineData("""{"type": "noop", "payload": [1, 2]}""", "payload", "JSON object")]
    [InlineData("""{"type": "noop", "payload": {"durationMs": -1}}""", "payload.durationMs", "between 0 and")]
    [InlineData("""{"type": "noop", "payload": {"sleep": 1}}""", "payload.sleep", "not a field of the noop payload")]
    [InlineData("""{"type": "noop", "idempotencyKey": ""}""", "idempotencyKey", "1 to 200")]
    [InlineData("""{"type": "noop", "tenant": "a b"}""", "tenant", "letters, digits")]
    [InlineData("""{"type": "noop",""", "body", "not valid JSON")]
    public async Task Create_WithABadField_Returns400NamingItAndCreatesNothing(string body, string field, string reason)
    {
        var before = await CountAsync();

        using var response = await _api.PostAsync("/api/jobs", ApiCalls.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.Contains(reason, messages[0].GetString());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Create_WithABodyOverTheLimit_Returns413()
    {
        var huge = "{\"type\":\"noop\",\"payload\":{\"failMessage\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}";

        using var response = await _api.PostAsync("/api/jobs", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithoutJsonContentType_Returns415()
    {
        using var response = await _api.PostAsync("/api/jobs", new StringContent("""{"type":"noop"}""", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownJob_Returns404Problem()
    {
        using var response = await _api.GetAsync($"/api/jobs/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("retry")]
    [InlineData("cancel")]
    [InlineData("promote")]
    public async Task Command_OnUnknownJob_Returns404(string command)
    {
        using var response = await _api.PostAsync($"/api/jobs/{Guid.NewGuid()}/{command}", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(null, "Send an API key in the X-Api-Key header.")]
    [InlineData("wrong-key", "The API key is not valid: unknown, mistyped or revoked.")]
    public async Task Any_WithoutAValidKey_Returns401SayingWhy(string? key, string detail)
    {
        var client = app.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        using var response = await client.PostAsync("/api/jobs", ApiCalls.Json("""{"type":"noop"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Create_WithRunAtInThePast_RunsNow()
    {
        var job = await _api.CreateJobAsync(new { type = "noop", payload = new { }, runAt = DateTimeOffset.UtcNow.AddHours(-1) });

        Assert.Equal("completed", (await _api.WaitForStatusAsync(job.Id(), "completed")).Status());
    }

    private async Task<long> CountAsync()
    {
        var queues = await _api.GetFromJsonAsync<JsonElement>("/api/queues");
        var counts = queues.EnumerateArray().Single(q => q.GetProperty("type").GetString() == "noop").GetProperty("counts");
        return counts.EnumerateObject().Sum(status => status.Value.GetInt64());
    }
}
