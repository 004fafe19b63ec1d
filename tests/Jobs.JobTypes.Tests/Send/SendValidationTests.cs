using static Jobs.JobTypes.Tests.Send.SendTestKit;

namespace Jobs.JobTypes.Tests.Send;

public sealed class SendValidationTests
{
    [Theory]
    [InlineData(
        """{"to":"ann@customer.example","subject":"Hi\r\nBcc: all@customer.example","text":"x"}""",
        "payload.subject")]
    [InlineData("""{"to":"ann@customer.example","subject":"Hi\nX-Spam: no","text":"x"}""", "payload.subject")]
    [InlineData("""{"to":"ann@customer.example","subject":"Hi\u2028there","text":"x"}""", "payload.subject")]
    [InlineData(
        """{"from":"a@voip.example\r\nBcc: x@y.example","to":"ann@customer.example","subject":"Hi","text":"x"}""",
        "payload.from")]
    [InlineData(
        """{"to":["ok@customer.example","ann@customer.example\r\nBcc: x@y.example"],"subject":"Hi","text":"x"}""",
        "payload.to[1]")]
    [InlineData(
        """{"to":"ann@customer.example","cc":["c@customer.example\n"],"subject":"Hi","text":"x"}""",
        "payload.cc[0]")]
    [InlineData(
        """{"to":"ann@customer.example","bcc":"\"Evil\r\n\" <b@customer.example>","subject":"Hi","text":"x"}""",
        "payload.bcc")]
    [InlineData(
        """{"to":"ann@customer.example","replyTo":"r@customer.example\r\n","subject":"Hi","text":"x"}""",
        "payload.replyTo")]
    [InlineData(
        """{"to":"ann@customer.example","template":{"subject":"Hi {{name}}"},"values":{"name":"Ann\r\nBcc: x@y.example"},"text":"x"}""",
        "payload.values.name")]
    public void Validate_WhenAHeaderFieldCarriesALineBreak_RefusesNamingTheField(string payload, string field)
    {
        var validation = Handler(port: 25).Validate(Json(payload));

        Assert.False(validation.IsValid);
        Assert.Contains(field, validation.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("""{"to":"not an address","subject":"Hi","text":"x"}""", "payload.to")]
    [InlineData(
        """{"to":["ann@customer.example","a@b.example, c@d.example"],"subject":"Hi","text":"x"}""",
        "payload.to[1]")]
    [InlineData("""{"to":"ann","subject":"Hi","text":"x"}""", "payload.to")]
    [InlineData("""{"to":[],"subject":"Hi","text":"x"}""", "payload.to")]
    [InlineData("""{"to":"ann@customer.example","text":"x"}""", "payload.subject")]
    [InlineData("""{"to":"ann@customer.example","subject":"Hi"}""", "payload.text")]
    [InlineData(
        """{"to":"ann@customer.example","subject":"Hi","text":"x","attachments":["not-a-guid"]}""",
        "payload.attachments[0]")]
    [InlineData(
        """{"to":"ann@customer.example","subject":"Hi","text":"x","attachments":"0196f0c2-7a4e-7c3b-9a51-2f0d3e4b5c6d"}""",
        "payload.attachments")]
    [InlineData(
        """{"to":"ann@customer.example","subject":"Hi","text":"x","bcC":"b@customer.example"}""",
        "payload.bcC")]
    [InlineData("""{"to":"ann@customer.example","subject":"Hi","text":"nul\u0000byte"}""", "payload.text")]
    [InlineData("""{"to":"ann@customer.example","subject":42,"text":"x"}""", "payload.subject")]
    [InlineData(
        """{"to":"ann@customer.example","subject":"Hi","template":{"subject":"Hi"},"text":"x"}""",
        "payload.subject")]
    [InlineData("""{"to":"ann@customer.example","subject":"Hi","text":"x","values":{"a":"b"}}""", "payload.values")]
    [InlineData(
        """{"to":"ann@customer.example","template":{"subject":"Hi {{name}}","text":"x"}}""",
        "payload.values.name")]
    [InlineData(
        """{"to":"ann@customer.example","template":{"subject":"Hi","text":"{{n}}"},"values":{"n":{"deep":1}}}""",
        "payload.values.n")]
    [InlineData(
        """{"to":"ann@customer.example","template":{"subject":"Hi","body":"x"},"text":"x"}""",
        "payload.template.body")]
    [InlineData("""["ann@customer.example"]""", "payload")]
    public void Validate_WhenAFieldIsWrong_RefusesNamingTheField(string payload, string field)
    {
        var validation = Handler(port: 25).Validate(Json(payload));

        Assert.False(validation.IsValid);
        Assert.Contains(field, validation.ToDictionary().Keys);
    }

    [Fact]
    public void Validate_WhenLimitsAreExceeded_SaysWhichLimit()
    {
        var payload = new
        {
            to = Enumerable.Range(0, 101).Select(i => $"user{i}@customer.example").ToArray(),
            subject = new string('s', 501),
            text = "x",
            attachments = Enumerable.Range(0, 21).Select(_ => Guid.NewGuid()).ToArray(),
        };

        var errors = Handler(port: 25).Validate(Json(payload)).ToDictionary();

        Assert.Equal("has 101 recipients in to, cc and bcc; at most 100 are allowed.", Assert.Single(errors["payload.to"]));
        Assert.Equal("is longer than 500 characters.", Assert.Single(errors["payload.subject"]));
        Assert.Equal("has 21 files; at most 20 are allowed.", Assert.Single(errors["payload.attachments"]));
    }

    [Fact]
    public void Validate_WhenNoSenderAnywhere_RequiresFrom()
    {
        var handler = Handler(port: 25, configure: options => options.DefaultFrom = null);

        var errors = handler.Validate(Json(new { to = "ann@customer.example", subject = "Hi", text = "x" })).ToDictionary();

        Assert.Equal("is required: no default sender is configured.", Assert.Single(errors["payload.from"]));
    }

    [Fact]
    public void Validate_WhenFromDomainIsNotAllowed_RefusesNamingTheDomain()
    {
        var handler = Handler(port: 25, configure: options => options.AllowedFromDomains = ["voip.example"]);

        var allowed = handler.Validate(Json(new { from = "a@VOIP.example", to = "b@customer.example", subject = "Hi", text = "x" }));
        var refused = handler.Validate(Json(new { from = "a@bank.example", to = "b@customer.example", subject = "Hi", text = "x" }));

        Assert.True(allowed.IsValid);
        Assert.Equal(
            "uses the domain 'bank.example', which this platform may not send from.",
            Assert.Single(refused.ToDictionary()["payload.from"]));
    }

    [Fact]
    public void Validate_WhenPayloadIsComplete_AcceptsIt()
    {
        var validation = Handler(port: 25).Validate(Json(new
        {
            from = "Billing <billing@voip.example>",
            to = new[] { "ann@customer.example" },
            cc = "Carol <carol@customer.example>",
            template = new { subject = "Invoice {{n}}", html = "<p>{{n}}</p>" },
            values = new { n = 7 },
            text = "Plain {{braces}} stay as they are.",
            attachments = new[] { Guid.NewGuid() },
        }));

        Assert.True(validation.IsValid, string.Join("; ", validation.ToDictionary().Select(p => $"{p.Key}: {p.Value[0]}")));
    }
}
