using static Jobs.JobTypes.Tests.Delayed.DelayedTestKit;

namespace Jobs.JobTypes.Tests.Delayed;

public sealed class DelayedValidationTests
{
    [Theory]
    [InlineData("""{"http":{"url":"ftp://files.example.com/a"}}""", "payload.http.url", "uses the scheme 'ftp'")]
    [InlineData("""{"http":{"url":"/relative/path"}}""", "payload.http.url", "is not an absolute URL.")]
    [InlineData(
        """{"http":{"url":"https://user:secret@api.example.com/"}}""",
        "payload.http.url", "carries credentials")]
    [InlineData("""{"http":{"url":"http://10.1.2.3/hook"}}""", "payload.http.url", "points at 10.1.2.3 (private)")]
    [InlineData("""{"http":{"url":"http://169.254.169.254/latest/"}}""", "payload.http.url", "(cloud metadata)")]
    [InlineData("""{"http":{"url":"http://[fd00:ec2::254]/"}}""", "payload.http.url", "(cloud metadata)")]
    [InlineData("""{"http":{"url":"http://[::ffff:127.0.0.1]/"}}""", "payload.http.url", "(loopback)")]
    [InlineData("""{"http":{"url":"http://2130706433/"}}""", "payload.http.url", "127.0.0.1 (loopback)")]
    [InlineData("""{"http":{"url":"http://100.64.0.9/"}}""", "payload.http.url", "(shared (CGNAT))")]
    [InlineData("""{"http":{"url":"http://0.0.0.0/"}}""", "payload.http.url", "(unspecified)")]
    [InlineData("""{"http":{"url":"http://224.0.0.1/"}}""", "payload.http.url", "(multicast)")]
    [InlineData(
        """{"http":{"method":"TRACE","url":"https://a.example/"}}""",
        "payload.http.method", "must be one of")]
    [InlineData(
        """{"http":{"method":"GET","url":"https://a.example/","body":"x"}}""",
        "payload.http.body", "cannot be sent with GET.")]
    [InlineData(
        """{"http":{"url":"https://a.example/","headers":{"X-A":"1\r\nX-B: 2"}}}""",
        "payload.http.headers.X-A", "contains a line break")]
    [InlineData(
        """{"http":{"url":"https://a.example/","headers":{"Bad Name":"1"}}}""",
        "payload.http.headers.Bad Name", "is not a valid header name.")]
    [InlineData(
        """{"http":{"url":"https://a.example/","headers":{"Host":"internal"}}}""",
        "payload.http.headers.Host", "is set by the HTTP client")]
    [InlineData(
        """{"http":{"url":"https://a.example/","headers":{"Transfer-Encoding":"chunked"}}}""",
        "payload.http.headers.Transfer-Encoding", "is set by the HTTP client")]
    [InlineData("""{"http":{"url":"https://a.example/","verb":"GET"}}""", "payload.http.verb", "is not a field")]
    [InlineData(
        """{"http":{"url":"https://a.example/"},"job":{"type":"noop"}}""",
        "payload", "has both http and job")]
    [InlineData("""{}""", "payload", "needs an action")]
    [InlineData("""{"job":{"type":"nope"}}""", "payload.job.type", "must be one of")]
    [InlineData(
        """{"job":{"type":"noop","delayMs":10,"runAt":"2026-12-24T18:00:00Z"}}""",
        "payload.job.runAt", "cannot be given with job.delayMs")]
    [InlineData("""{"job":{"type":"noop","attempts":0}}""", "payload.job.attempts", "from 1 to 100")]
    [InlineData("""{"job":{"type":"noop","timeoutMs":-5}}""", "payload.job.timeoutMs", "whole number of milliseconds")]
    [InlineData("""{"job":{"type":"noop","runAt":"tomorrow"}}""", "payload.job.runAt", "must be a date and time")]
    [InlineData(
        """{"job":{"type":"noop","backoff":{"type":"linear","delayMs":5}}}""",
        "payload.job.backoff.type", "must be fixed or exponential.")]
    [InlineData(
        """{"job":{"type":"noop","backoff":{"type":"fixed"}}}""",
        "payload.job.backoff.delayMs", "is required.")]
    [InlineData("""{"job":{"type":"noop","payload":[1]}}""", "payload.job.payload", "must be a JSON object.")]
    public void Validate_WhenAFieldIsWrong_RefusesNamingTheField(string payload, string field, string message)
    {
        var errors = Handler().Validate(Json(payload)).ToDictionary();

        Assert.True(errors.ContainsKey(field), $"No error at {field}: {string.Join("; ", errors.Keys)}");
        Assert.Contains(errors[field], text => text.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WhenTheInnerPayloadIsWrong_NamesTheInnerField()
    {
        var errors = Handler().Validate(Json("""{"job":{"type":"noop","payload":{"durationMs":-1}}}""")).ToDictionary();

        Assert.Equal(["payload.job.payload.durationMs"], errors.Keys);
    }

    [Fact]
    public void Validate_WhenNoHandlerRunsTheInnerType_RefusesItNow()
    {
        var errors = Handler().Validate(Json("""{"job":{"type":"transcribe","payload":{}}}""")).ToDictionary();

        Assert.Equal(
            "has no handler running in this cluster: 'transcribe' jobs cannot run here.",
            Assert.Single(errors["payload.job.type"]));
    }

    [Fact]
    public void Validate_WhenAnAddressIsAllowed_AcceptsIt()
    {
        var handler = Handler(Allowing("10.20.0.0/16"));

        var inside = handler.Validate(Json("""{"http":{"url":"http://10.20.3.4:8080/hook"}}"""));
        var outside = handler.Validate(Json("""{"http":{"url":"http://10.21.3.4:8080/hook"}}"""));

        Assert.True(inside.IsValid);
        Assert.False(outside.IsValid);
    }

    [Fact]
    public void Validate_WhenPayloadsAreComplete_AcceptsThem()
    {
        var handler = Handler();

        var http = handler.Validate(Json("""
            {"http":{"method":"post","url":"https://a.example/hooks?x=1",
                     "headers":{"Authorization":"Bearer abc","Content-Type":"application/xml"},"body":"<a/>"}}
            """));
        var job = handler.Validate(Json("""
            {"job":{"type":"noop","payload":{},"attempts":5,"priority":3,"timeoutMs":60000,"delayMs":1000,
                    "backoff":{"type":"exponential","delayMs":500,"maxDelayMs":60000}}}
            """));

        Assert.True(http.IsValid, string.Join("; ", http.ToDictionary().Keys));
        Assert.True(job.IsValid, string.Join("; ", job.ToDictionary().Keys));
    }

    [Fact]
    public void Summarize_ShowsMethodAndUrlWithoutTheQuery()
    {
        var summary = Handler().Summarize(Json("""{"http":{"method":"POST","url":"https://a.example/hooks?token=secret"}}"""));

        Assert.NotNull(summary);
        Assert.Equal("POST https://a.example/hooks", summary["action"]);
    }
}
