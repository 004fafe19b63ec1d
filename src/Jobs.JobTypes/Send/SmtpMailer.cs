using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Jobs.JobTypes.Send;

/// <summary>Sends one message over one SMTP session, as <see cref="SendOptions"/> say.</summary>
internal sealed partial class SmtpMailer(SendOptions options, ILogger logger)
{
    private readonly string _tls = options.Tls.ToString();
    private readonly HashSet<string> _pins = [.. options.PinnedCertificateSha256.Select(ServerCertificateCheck.Normalize)];

    /// <summary>
    /// Connects, authenticates if configured, sends and quits. Throws what MailKit and the network throw;
    /// <see cref="SmtpFailures"/> turns that into an outcome. A connection that takes longer than
    /// <see cref="SendOptions.Timeout"/> (greeting and TLS included) throws <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<SmtpDelivery> SendAsync(MimeMessage message, Guid jobId, CancellationToken cancellationToken)
    {
        var certificates = new ServerCertificateCheck(_pins);
        using var client = new RecipientTrackingSmtpClient
        {
            Timeout = (int)options.Timeout.TotalMilliseconds,
            CheckCertificateRevocation = options.CheckCertificateRevocation,
            ServerCertificateValidationCallback = certificates.Validate,
        };

        LogConnecting(jobId, options.Host, options.Port, _tls);
        await ConnectAsync(client, certificates, cancellationToken);
        if (!string.IsNullOrEmpty(options.Username))
        {
            await client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
        }

        var reply = await client.SendAsync(message, cancellationToken);
        await QuitAsync(client, jobId, cancellationToken);

        return new SmtpDelivery(client.Accepted, client.Refused, reply);
    }

    private async Task ConnectAsync(SmtpClient client, ServerCertificateCheck certificates, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            await client.ConnectAsync(options.Host, options.Port, ToSocketOptions(options.Tls), timeout.Token);
        }
        catch (SslHandshakeException exception) when (certificates.Rejection is { } reason)
        {
            throw new ServerCertificateRejectedException(reason, exception);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"no greeting and handshake within {options.Timeout.TotalSeconds:0.#} s.");
        }
    }

    private async Task QuitAsync(SmtpClient client, Guid jobId, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or ProtocolException or TimeoutException)
        {
            // The server has taken the message already; a failed QUIT changes nothing for the recipients.
            LogQuitFailed(jobId, exception.Message);
        }
    }

    private static SecureSocketOptions ToSocketOptions(SmtpTlsMode mode) => mode switch
    {
        SmtpTlsMode.None => SecureSocketOptions.None,
        SmtpTlsMode.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}

/// <summary>What the server said about one message it took.</summary>
internal sealed record SmtpDelivery(
    IReadOnlyList<string> Accepted, IReadOnlyList<RefusedRecipient> Refused, string Reply);
