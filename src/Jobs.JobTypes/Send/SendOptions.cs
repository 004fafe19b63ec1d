namespace Jobs.JobTypes.Send;

/// <summary>
/// How the <c>send</c> job type reaches its SMTP server, bound from <c>Jobs:Send</c> and checked at start-up by
/// <see cref="SendOptionsValidator"/>. Credentials live here, never in payloads, and are never logged.
/// </summary>
public sealed class SendOptions
{
    public const string SectionName = "Jobs:Send";

    /// <summary>The SMTP server's host name or address. Empty means mail is not configured: send jobs fail.</summary>
    public string Host { get; set; } = "";

    /// <summary>Defaults to 587, the submission port.</summary>
    public int Port { get; set; } = 587;

    /// <summary>Defaults to <see cref="SmtpTlsMode.StartTls"/>, which refuses a server without TLS.</summary>
    public SmtpTlsMode Tls { get; set; } = SmtpTlsMode.StartTls;

    /// <summary>Set with <see cref="Password"/> to authenticate; unset to send without authenticating.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// How long one exchange with the server (connecting with its greeting and TLS, or one command) may take.
    /// Defaults to 30 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The sender of mails whose payload names none, for example <c>"Jobs &lt;jobs@example.com&gt;"</c>.
    /// </summary>
    public string? DefaultFrom { get; set; }

    /// <summary>
    /// Domains a payload's <c>from</c> may use (exact, case-insensitive). Empty allows any: leave it empty only when
    /// the SMTP server itself restricts senders.
    /// </summary>
    public List<string> AllowedFromDomains { get; set; } = [];

    /// <summary>The most bytes all attachments of one mail may hold together. Defaults to 25 MiB.</summary>
    public long MaxAttachmentBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Whether TLS certificates are checked for revocation; turn off only on isolated networks.</summary>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>
    /// SHA-256 fingerprints of the server certificates to trust by pinning (hex; colons, spaces and case are
    /// ignored), for a relay with a self-signed or private-CA certificate. When set, the server's certificate must
    /// be one of them, whatever its chain and names say: nothing else is trusted, not even a publicly trusted
    /// certificate, so list the next certificate before the relay changes to it. Empty (the default): the system's
    /// trust store and the host name decide. There is deliberately no switch that accepts any certificate.
    /// </summary>
    public List<string> PinnedCertificateSha256 { get; set; } = [];
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpTlsMode
{
    /// <summary>Plain text; only for a relay on the same host or a trusted network.</summary>
    None = 0,

    /// <summary>Plain connection upgraded with STARTTLS; fails if the server does not offer it.</summary>
    StartTls = 1,

    /// <summary>TLS from the first byte (implicit TLS, usually port 465).</summary>
    Tls = 2,
}
