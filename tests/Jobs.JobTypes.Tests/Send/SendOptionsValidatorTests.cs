using Jobs.JobTypes.Send;

namespace Jobs.JobTypes.Tests.Send;

public sealed class SendOptionsValidatorTests
{
    [Fact]
    public void Validate_WhenDefaults_Succeeds()
    {
        var result = new SendOptionsValidator().Validate(null, new SendOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_WhenValuesAreWrong_NamesEachKey()
    {
        var options = new SendOptions
        {
            Host = "smtp.example",
            Port = 0,
            Tls = SmtpTlsMode.None,
            Username = "jobs",
            Password = "not-in-the-message",
            Timeout = TimeSpan.Zero,
            DefaultFrom = "nobody",
            AllowedFromDomains = ["user@example.com"],
            PinnedCertificateSha256 = ["AB:CD"],
        };

        var result = new SendOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = string.Join("\n", result.Failures!);
        Assert.Contains("Jobs:Send:Port must be between 1 and 65535; it is 0.", failures, StringComparison.Ordinal);
        Assert.Contains("Jobs:Send:Timeout", failures, StringComparison.Ordinal);
        Assert.Contains("Jobs:Send:Password is set while Jobs:Send:Tls is None", failures, StringComparison.Ordinal);
        Assert.Contains("Jobs:Send:DefaultFrom is not a mail address.", failures, StringComparison.Ordinal);
        Assert.Contains("Jobs:Send:AllowedFromDomains holds 'user@example.com'", failures, StringComparison.Ordinal);
        Assert.Contains(
            "Jobs:Send:PinnedCertificateSha256 holds 'AB:CD', which is not a SHA-256 fingerprint", failures, StringComparison.Ordinal);
        Assert.Contains(
            "Jobs:Send:PinnedCertificateSha256 is set while Jobs:Send:Tls is None", failures, StringComparison.Ordinal);
        Assert.DoesNotContain("not-in-the-message", failures, StringComparison.Ordinal);
    }
}
