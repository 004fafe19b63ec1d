using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jobs.JobTypes.Send;

/// <summary>
/// Decides whether the SMTP server's TLS certificate is trusted, and remembers why not, so the attempt's failed
/// reason can say it. With pins (<see cref="SendOptions.PinnedCertificateSha256"/>) the certificate must be one of
/// them; without, the system's trust store and the host name decide.
/// </summary>
internal sealed class ServerCertificateCheck(IReadOnlySet<string> pins)
{
    /// <summary>Why the certificate was refused; null until one is.</summary>
    public string? Rejection { get; private set; }

    /// <summary>A pin as configured, in the one form fingerprints are compared in: upper-case hex, no separators.</summary>
    public static string Normalize(string pin) =>
        pin.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public static string Fingerprint(X509Certificate certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/> MailKit calls during the handshake.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Rejection = "the server sent no certificate";
            return false;
        }

        if (pins.Count > 0)
        {
            // A pin names the exact certificate: its chain and names do not matter, which is what a private relay needs.
            var fingerprint = Fingerprint(certificate);
            if (pins.Contains(fingerprint))
            {
                return true;
            }

            Rejection = $"the server's certificate '{certificate.Subject}' has SHA-256 fingerprint {fingerprint}, "
                + $"which is not one of {SendOptions.SectionName}:PinnedCertificateSha256";
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        Rejection = $"the server's certificate '{certificate.Subject}' is not trusted ({Describe(errors, chain)}); "
            + $"for a private relay, pin it with {SendOptions.SectionName}:PinnedCertificateSha256";
        return false;
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain)
    {
        var problems = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add("not issued for the host name connected to");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(status => status.Status.ToString()).Distinct() ?? [];
            problems.Add("chain: " + string.Join(", ", statuses.DefaultIfEmpty("invalid")));
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            problems.Add("not available");
        }

        return string.Join("; ", problems);
    }
}

/// <summary>The TLS handshake failed because the server's certificate was refused; the message says why.</summary>
internal sealed class ServerCertificateRejectedException(string reason, Exception innerException)
    : Exception(reason, innerException);
