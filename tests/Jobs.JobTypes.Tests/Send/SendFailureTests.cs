using Jobs.JobTypes.Tests.Infrastructure;
using SmtpServer.Protocol;
using static Jobs.JobTypes.Tests.Send.SendTestKit;

namespace Jobs.JobTypes.Tests.Send;

public sealed class SendFailureTests
{
    private static readonly object Mail = new
    {
        to = new[] { "ann@customer.example", "gone@customer.example" },
        subject = "Hello",
        text = "Hello",
    };

    [Fact]
    public async Task ExecuteAsync_WhenServerRefusesEveryRecipient_FailsPermanentlyWithTheServersWords()
    {
        await using var smtp = await TestSmtpServer.StartAsync(
            _ => new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 mailbox unavailable"));

        var outcome = await Handler(smtp.Port).ExecuteAsync(Attempt(Mail), default);

        // The test server appends how many more errors it will take to each of its error replies.
        var failure = AssertFailed(outcome, permanent: true);
        Assert.StartsWith(
            "no recipient was accepted: ann@customer.example: 550 5.1.1 mailbox unavailable", failure.Reason,
            StringComparison.Ordinal);
        Assert.Contains("; gone@customer.example: 550 5.1.1 mailbox unavailable", failure.Reason, StringComparison.Ordinal);
        Assert.Empty(smtp.Received);
    }

    [Fact]
    public async Task ExecuteAsync_WhenServerRefusesSomeRecipients_CompletesAndListsTheRefusedOnes()
    {
        await using var smtp = await TestSmtpServer.StartAsync(address => address.StartsWith("gone@", StringComparison.Ordinal)
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 mailbox unavailable")
            : null);
        var attempt = Attempt(Mail);

        var outcome = await Handler(smtp.Port).ExecuteAsync(attempt, default);

        var result = AssertCompleted(outcome);
        Assert.Equal(["ann@customer.example"], result.GetProperty("accepted").EnumerateArray().Select(a => a.GetString()));
        var refused = Assert.Single(result.GetProperty("refused").EnumerateArray());
        Assert.Equal("gone@customer.example", refused.GetProperty("address").GetString());
        Assert.Equal(550, refused.GetProperty("code").GetInt32());
        Assert.StartsWith("5.1.1 mailbox unavailable", refused.GetProperty("reply").GetString(), StringComparison.Ordinal);
        Assert.Equal(["ann@customer.example"], Assert.Single(smtp.Received).EnvelopeTo);
        Assert.Contains(attempt.DrainLogs(), line => line.Message.Contains("gone@customer.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_WhenServerRefusesTemporarily_FailsForRetryWithTheServersWords()
    {
        await using var smtp = await TestSmtpServer.StartAsync(
            _ => new SmtpResponse(SmtpReplyCode.Unavailable, "4.2.1 mailbox busy, try later"));

        var outcome = await Handler(smtp.Port).ExecuteAsync(Attempt(Mail), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.Contains("ann@customer.example: 450 4.2.1 mailbox busy, try later", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_WhenServerRefusesTheMessageTemporarily_FailsForRetry()
    {
        await using var smtp = await TestSmtpServer.StartAsync(
            dataReply: new SmtpResponse(SmtpReplyCode.InsufficientStorage, "4.3.1 insufficient system storage"));

        var outcome = await Handler(smtp.Port).ExecuteAsync(Attempt(Mail), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.Equal("the SMTP server refused the message: 452 4.3.1 insufficient system storage", failure.Reason);
    }

    [Fact]
    public async Task ExecuteAsync_WhenServerHangsUpMidSession_FailsForRetrySayingTheConnectionBroke()
    {
        await using var server = new RawTcpServer(async (stream, token) =>
        {
            await stream.WriteAsync("220 smtp.test ready\r\n"u8.ToArray(), token);
            _ = await stream.ReadAsync(new byte[512], token);
        });

        var outcome = await Handler(server.Port).ExecuteAsync(Attempt(Mail), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.StartsWith($"the SMTP connection to 127.0.0.1:{server.Port} broke", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_WhenNothingListens_FailsForRetrySayingTheConnectionWasRefused()
    {
        var port = RawTcpServer.UnusedPort();

        var outcome = await Handler(port).ExecuteAsync(Attempt(Mail), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.Equal($"cannot connect to the SMTP server 127.0.0.1:{port}: Connection refused", failure.Reason);
    }

    [Fact]
    public async Task ExecuteAsync_WhenServerNeverGreets_FailsForRetryAfterTheTimeout()
    {
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new RawTcpServer(async (stream, token) =>
        {
            connected.TrySetResult();
            _ = await stream.ReadAsync(new byte[512], token);
        });
        var handler = Handler(server.Port, configure: options => options.Timeout = TimeSpan.FromMilliseconds(500));

        var outcome = await handler.ExecuteAsync(Attempt(Mail), default);

        var failure = AssertFailed(outcome, permanent: false);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith($"the SMTP server 127.0.0.1:{server.Port} timed out", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_WhenNoServerIsConfigured_FailsForRetryNamingTheSetting()
    {
        var handler = Handler(port: 25, configure: options => options.Host = "");

        var outcome = await handler.ExecuteAsync(Attempt(Mail), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.Equal("no SMTP server is configured (Jobs:Send:Host is empty).", failure.Reason);
    }
}
