using Jobs.JobTypes.Tests.Infrastructure;
using MimeKit;
using static Jobs.JobTypes.Tests.Send.SendTestKit;

namespace Jobs.JobTypes.Tests.Send;

public sealed class SendDeliveryTests
{
    [Fact]
    public async Task ExecuteAsync_WhenServerAccepts_DeliversHeadersBodiesAndEnvelope()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var jobId = Guid.CreateVersion7();
        var payload = new
        {
            from = "Billing <billing@voip.example>",
            replyTo = "support@voip.example",
            to = new[] { "Ann <ann@customer.example>", "bob@customer.example" },
            cc = new[] { "carol@customer.example" },
            bcc = new[] { "audit@voip.example" },
            subject = "Your invoice for März — 42 €",
            text = "Hello,\nyour invoice is ready.",
            html = "<p>Hello,<br>your invoice is ready.</p>",
        };

        var outcome = await Handler(smtp.Port).ExecuteAsync(Attempt(payload, jobId), default);

        var result = AssertCompleted(outcome);
        var mail = Assert.Single(smtp.Received);
        var message = mail.Message;
        Assert.Equal($"{jobId:N}@voip.example", result.GetProperty("messageId").GetString());
        Assert.Equal(
            ["ann@customer.example", "bob@customer.example", "carol@customer.example", "audit@voip.example"],
            result.GetProperty("accepted").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("billing@voip.example", mail.EnvelopeFrom);
        Assert.Contains("audit@voip.example", mail.EnvelopeTo);
        Assert.Equal(("Billing", "billing@voip.example"), NameAndAddress(message.From));
        Assert.Equal("support@voip.example", message.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal(["ann@customer.example", "bob@customer.example"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Ann", message.To.Mailboxes.First().Name);
        Assert.Equal("carol@customer.example", message.Cc.Mailboxes.Single().Address);
        Assert.Empty(message.Bcc);
        Assert.Null(message.Headers[HeaderId.Bcc]);
        Assert.Equal("Your invoice for März — 42 €", message.Subject);
        Assert.Equal($"{jobId:N}@voip.example", message.MessageId);
        Assert.Equal("Hello,\nyour invoice is ready.", message.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal("<p>Hello,<br>your invoice is ready.</p>", message.HtmlBody!.TrimEnd('\r', '\n'));
    }

    [Fact]
    public async Task ExecuteAsync_WhenPayloadNamesNoSender_SendsFromTheConfiguredDefault()
    {
        await using var smtp = await TestSmtpServer.StartAsync();

        var outcome = await Handler(smtp.Port).ExecuteAsync(
            Attempt(new { to = "ann@customer.example", subject = "Hi", text = "Hello" }), default);

        AssertCompleted(outcome);
        var message = Assert.Single(smtp.Received).Message;
        Assert.Equal(("Jobs", "jobs@voip.example"), NameAndAddress(message.From));
    }

    [Fact]
    public async Task ExecuteAsync_WithTemplate_FillsValuesAndHtmlEncodesThemInTheHtmlBody()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var payload = new
        {
            to = "ann@customer.example",
            template = new
            {
                subject = "Invoice {{number}} for {{ name }}",
                text = "Dear {{name}}, you owe {{amount}} EUR. Paid: {{paid}}.",
                html = "<p>Dear <b>{{name}}</b>, you owe {{amount}} EUR.</p>",
            },
            values = new { number = "INV-7", name = "<Ann & Bob>", amount = 12.5, paid = false },
        };

        var outcome = await Handler(smtp.Port).ExecuteAsync(Attempt(payload), default);

        AssertCompleted(outcome);
        var message = Assert.Single(smtp.Received).Message;
        Assert.Equal("Invoice INV-7 for <Ann & Bob>", message.Subject);
        Assert.Equal("Dear <Ann & Bob>, you owe 12.5 EUR. Paid: false.", message.TextBody!.TrimEnd('\r', '\n'));
        Assert.Equal("<p>Dear <b>&lt;Ann &amp; Bob&gt;</b>, you owe 12.5 EUR.</p>", message.HtmlBody!.TrimEnd('\r', '\n'));
    }

    [Fact]
    public void Summarize_ReturnsSubjectAndFirstRecipientWithHowManyMore()
    {
        var handler = Handler(port: 25);

        var summary = handler.Summarize(Json(new
        {
            to = new[] { "ann@customer.example", "bob@customer.example" },
            bcc = "audit@voip.example",
            subject = "Weekly CDR report",
            text = "Attached.",
        }));

        Assert.NotNull(summary);
        Assert.Equal("Weekly CDR report", summary["subject"]);
        Assert.Equal("ann@customer.example +2", summary["to"]);
    }

    private static (string? Name, string Address) NameAndAddress(InternetAddressList list)
    {
        var mailbox = list.Mailboxes.Single();
        return (mailbox.Name, mailbox.Address);
    }
}
