using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jobs.JobTypes.Send;
using Jobs.JobTypes.Tests.Infrastructure;
using static Jobs.JobTypes.Tests.Send.SendTestKit;

namespace Jobs.JobTypes.Tests.Send;

/// <summary>
/// STARTTLS against a real SMTP server that requires it, with a self-signed certificate made for the test: trusted
/// only when its fingerprint is pinned, refused otherwise with a reason that names TLS.
/// </summary>
public sealed class SendTlsTests : IDisposable
{
    private static readonly object Mail = new { to = new[] { "ann@customer.example" }, subject = "Invoice", text = "Attached." };

    private readonly X509Certificate2 _certificate = SelfSigned("smtp.test");

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task ExecuteAsync_WhenTheServerRequiresStartTls_AndItsCertificateIsPinned_DeliversOverTls()
    {
        await using var smtp = await TestSmtpServer.StartAsync(startTlsCertificate: _certificate);
        var pin = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var colonPin = string.Join(':', pin.ToLowerInvariant().Chunk(2).Select(pair => new string(pair)));

        var outcome = await Handler(smtp.Port, configure: StartTls(colonPin)).ExecuteAsync(Attempt(Mail), default);

        AssertCompleted(outcome);
        var received = Assert.Single(smtp.Received);
        Assert.True(received.OverTls, "the mail came over plain text");
        Assert.Equal("Invoice", received.Message.Subject);
    }

    [Fact]
    public async Task ExecuteAsync_WhenTheServersCertificateIsNotTrusted_FailsForRetryWithAReasonNamingTls()
    {
        await using var smtp = await TestSmtpServer.StartAsync(startTlsCertificate: _certificate);

        var outcome = await Handler(smtp.Port, configure: StartTls()).ExecuteAsync(Attempt(Mail), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.StartsWith($"TLS with the SMTP server 127.0.0.1:{smtp.Port} failed: the server's certificate 'CN=smtp.test' "
            + "is not trusted (", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("UntrustedRoot", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("Jobs:Send:PinnedCertificateSha256", failure.Reason, StringComparison.Ordinal);
        Assert.Empty(smtp.Received);
    }

    [Fact]
    public async Task ExecuteAsync_WhenAnotherCertificateIsPinned_FailsNamingTheServersFingerprint()
    {
        await using var smtp = await TestSmtpServer.StartAsync(startTlsCertificate: _certificate);
        using var other = SelfSigned("other.test");

        var outcome = await Handler(smtp.Port, configure: StartTls(other.GetCertHashString(HashAlgorithmName.SHA256)))
            .ExecuteAsync(Attempt(Mail), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.StartsWith($"TLS with the SMTP server 127.0.0.1:{smtp.Port} failed: ", failure.Reason, StringComparison.Ordinal);
        Assert.Contains(_certificate.GetCertHashString(HashAlgorithmName.SHA256), failure.Reason, StringComparison.Ordinal);
        Assert.Empty(smtp.Received);
    }

    [Fact]
    public async Task ExecuteAsync_WhenTheServerRequiresStartTlsButTheMailerSendsPlainText_FailsForRetryWithTheServersWords()
    {
        await using var smtp = await TestSmtpServer.StartAsync(startTlsCertificate: _certificate);

        var outcome = await Handler(smtp.Port).ExecuteAsync(Attempt(Mail), default);

        var failure = AssertFailed(outcome, permanent: false);
        Assert.StartsWith($"the SMTP server 127.0.0.1:{smtp.Port} requires authentication or TLS first: "
            + "5.7.0 Must issue a STARTTLS command first", failure.Reason, StringComparison.Ordinal);
        Assert.Empty(smtp.Received);
    }

    private static Action<SendOptions> StartTls(params string[] pins) => options =>
    {
        options.Tls = SmtpTlsMode.StartTls;
        options.PinnedCertificateSha256 = [.. pins];
    };

    /// <summary>A self-signed server certificate for 127.0.0.1, valid from yesterday to tomorrow.</summary>
    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // Through PKCS#12 so the private key is one SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
