using Microsoft.Extensions.Time.Testing;
using static Jobs.JobTypes.Tests.Delayed.DelayedTestKit;

namespace Jobs.JobTypes.Tests.Delayed;

public sealed class DelayedHttpTests(HttpEndpoints endpoints) : IClassFixture<HttpEndpoints>
{
    private readonly Dictionary<string, string?> _allowLoopback = Allowing("127.0.0.1");

    [Fact]
    public async Task ExecuteAsync_WhenServerAnswers2xx_CompletesWithStatusAndBody()
    {
        var payload = new
        {
            http = new
            {
                method = "POST",
                url = endpoints.Server.Url("echo").ToString(),
                headers = new Dictionary<string, string> { ["X-Token"] = "t0k3n" },
                body = new { invoice = 7 },
            },
        };

        var outcome = await Handler(_allowLoopback).ExecuteAsync(Attempt(payload), default);

        var result = AssertCompleted(outcome);
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("POST t0k3n application/json {\"invoice\":7}", result.GetProperty("body").GetString());
        Assert.False(result.TryGetProperty("truncated", out _));
    }

    [Theory]
    [InlineData(500, "HTTP 500 Internal Server Error")]
    [InlineData(502, "HTTP 502 Bad Gateway")]
    [InlineData(408, "HTTP 408 Request Timeout")]
    public async Task ExecuteAsync_WhenServerAnswersAServerError_FailsForRetryWithTheStatusLine(int status, string reason)
    {
        var outcome = await Handler(_allowLoopback).ExecuteAsync(Get($"status/{status}"), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.Equal(reason, failure.Reason);
        Assert.Null(failure.NextAttemptAt);
    }

    [Theory]
    [InlineData(503, "HTTP 503 Service Unavailable")]
    [InlineData(429, "HTTP 429 Too Many Requests")]
    public async Task ExecuteAsync_WhenServerSaysRetryAfter_RetriesThen(int status, string reason)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T12:00:00Z"));

        var outcome = await Handler(_allowLoopback, clock).ExecuteAsync(Get($"status/{status}"), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.Equal(reason, failure.Reason);
        Assert.Equal(clock.GetUtcNow().AddSeconds(120), failure.NextAttemptAt);
    }

    [Theory]
    [InlineData(404, "HTTP 404 Not Found")]
    [InlineData(400, "HTTP 400 Bad Request")]
    [InlineData(401, "HTTP 401 Unauthorized")]
    public async Task ExecuteAsync_WhenServerAnswersAClientError_FailsPermanently(int status, string reason)
    {
        var attempt = Get($"status/{status}");

        var outcome = await Handler(_allowLoopback).ExecuteAsync(attempt, default);

        var failure = AssertFailed(outcome, permanent: true);
        Assert.Equal(reason, failure.Reason);
        Assert.Contains(attempt.DrainLogs(), line => line.Message == $"{reason}: something went wrong");
    }

    [Fact]
    public async Task ExecuteAsync_WhenServerRedirects_FailsPermanentlyWithoutFollowing()
    {
        var outcome = await Handler(_allowLoopback).ExecuteAsync(Get("status/302"), default);

        var failure = AssertFailed(outcome, permanent: true);
        Assert.Equal(
            "HTTP 302 Found: redirected to http://169.254.169.254/latest/meta-data/; redirects are not followed.",
            failure.Reason);
    }

    [Fact]
    public async Task ExecuteAsync_WhenServerDoesNotAnswerInTime_FailsForRetrySayingItTimedOut()
    {
        var handler = Handler(Allowing("127.0.0.1", timeout: "00:00:00.500"));

        var outcome = await handler.ExecuteAsync(Get("slow"), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.Equal("the HTTP request to 127.0.0.1 timed out after 0.5 s.", failure.Reason);
    }

    [Fact]
    public async Task ExecuteAsync_WhenBodyIsLong_KeepsTheFirst4KiBOnWholeCharactersAndSaysItWasTruncated()
    {
        var outcome = await Handler(_allowLoopback).ExecuteAsync(Get("big"), default);

        var result = AssertCompleted(outcome);
        Assert.Equal(HttpEndpoints.BigBody[..4094], result.GetProperty("body").GetString());
        Assert.True(result.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task ExecuteAsync_WhenLoopbackIsNotAllowed_FailsPermanentlyWithoutSendingARequest()
    {
        var before = endpoints.Server.Requests;

        var outcome = await Handler().ExecuteAsync(Get("ok"), default);

        var failure = AssertFailed(outcome, permanent: true);
        Assert.StartsWith(
            "the payload is invalid: payload.http.url: points at 127.0.0.1 (loopback)", failure.Reason,
            StringComparison.Ordinal);
        Assert.Equal(before, endpoints.Server.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_WhenHostNameResolvesToLoopback_FailsPermanentlyNamingTheHost()
    {
        var before = endpoints.Server.Requests;
        var url = $"http://localhost:{endpoints.Server.Port}/ok";

        var outcome = await Handler().ExecuteAsync(Attempt(new { http = new { url } }), default);

        var failure = AssertFailed(outcome, permanent: true);
        Assert.StartsWith("host 'localhost' is not allowed: it resolves to ", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("(loopback)", failure.Reason, StringComparison.Ordinal);
        Assert.EndsWith("an operator can allow it in Jobs:Delayed:AllowedHosts.", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(before, endpoints.Server.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_WhenHostNameIsAllowed_ConnectsToTheAddressThatAnswers()
    {
        var url = $"http://localhost:{endpoints.Server.Port}/ok";

        var outcome = await Handler(Allowing("localhost")).ExecuteAsync(Attempt(new { http = new { url } }), default);

        var result = AssertCompleted(outcome);
        Assert.Equal("hello", result.GetProperty("body").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_WhenNothingListens_FailsForRetry()
    {
        var port = Infrastructure.RawTcpServer.UnusedPort();

        var outcome = await Handler(_allowLoopback).ExecuteAsync(
            Attempt(new { http = new { url = $"http://127.0.0.1:{port}/" } }), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.StartsWith("the HTTP request to 127.0.0.1 failed: ", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("Connection refused", failure.Reason, StringComparison.Ordinal);
    }

    private Handlers.JobContext Get(string path) =>
        Attempt(new { http = new { method = "GET", url = endpoints.Server.Url(path).ToString() } });
}
