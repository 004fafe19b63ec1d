using System.Net.Sockets;
using Jobs.Handlers;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Jobs.JobTypes.Send;

/// <summary>
/// Turns what went wrong while sending into an attempt's outcome. The reason is what the server said, or what
/// failed on the way to it.
/// </summary>
/// <remarks>
/// Retried (<see cref="JobOutcome.Failed"/>): 4xx replies, refused or dropped connections, timeouts, TLS and
/// authentication failures, and 530 "authenticate or start TLS first" (a server or configuration problem that an
/// operator can fix while the job backs off).
/// Not retried (<see cref="JobOutcome.FailedPermanently"/>): 5xx replies, which say the same mail will be refused
/// again.
/// </remarks>
internal static class SmtpFailures
{
    /// <summary>The outcome for <paramref name="exception"/>, or null when it is not a sending failure.</summary>
    public static JobOutcome? ToOutcome(Exception exception, string server) => exception switch
    {
        NoRecipientAcceptedException refused => NoneAccepted(refused.Refused),
        SmtpCommandException command => FromReply((int)command.StatusCode, command.Message, Describe(command)),
        // 530 before MAIL: the server wants authentication or TLS first, a configuration an operator can fix.
        ServiceNotAuthenticatedException notAuthenticated =>
            JobOutcome.Failed($"the SMTP server {server} requires authentication or TLS first: {notAuthenticated.Message}"),
        AuthenticationException auth => JobOutcome.Failed($"SMTP authentication with {server} failed: {auth.Message}"),
        ServerCertificateRejectedException rejected =>
            JobOutcome.Failed($"TLS with the SMTP server {server} failed: {rejected.Message}"),
        SslHandshakeException => JobOutcome.Failed($"TLS with the SMTP server {server} failed: {FirstLine(exception)}"),
        SmtpProtocolException protocol =>
            JobOutcome.Failed($"the SMTP connection to {server} broke: {protocol.Message}"),
        SocketException socket => JobOutcome.Failed($"cannot connect to the SMTP server {server}: {socket.Message}"),
        TimeoutException timeout => JobOutcome.Failed($"the SMTP server {server} timed out: {timeout.Message}"),
        NotSupportedException unsupported when IsAboutStartTls(unsupported) =>
            JobOutcome.Failed($"the SMTP server {server} does not offer STARTTLS, which the configuration requires."),
        IOException io => FromIo(io, server),
        ServiceNotConnectedException => JobOutcome.Failed($"the SMTP server {server} closed the connection."),
        _ => null,
    };

    private static bool IsAboutStartTls(NotSupportedException exception) =>
        exception.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase);

    private static JobOutcome FromIo(IOException io, string server) => io.InnerException switch
    {
        TimeoutException => JobOutcome.Failed($"the SMTP server {server} timed out: {io.Message}"),
        SocketException socket => JobOutcome.Failed($"the SMTP connection to {server} broke: {socket.Message}"),
        _ => JobOutcome.Failed($"the SMTP connection to {server} broke: {io.Message}"),
    };

    private static JobOutcome NoneAccepted(IReadOnlyList<RefusedRecipient> refused)
    {
        var reason = "no recipient was accepted: " +
            string.Join("; ", refused.Select(recipient => $"{recipient.Address}: {recipient}"));
        return refused.All(recipient => recipient.Code >= 500)
            ? JobOutcome.FailedPermanently(reason)
            : JobOutcome.Failed(reason);
    }

    private static JobOutcome FromReply(int code, string text, string what)
    {
        var reason = $"{what}: {code} {text}";
        return code >= 500 ? JobOutcome.FailedPermanently(reason) : JobOutcome.Failed(reason);
    }

    private static string Describe(SmtpCommandException exception) => exception.ErrorCode switch
    {
        SmtpErrorCode.SenderNotAccepted => $"the SMTP server refused the sender {exception.Mailbox?.Address}",
        SmtpErrorCode.RecipientNotAccepted => $"the SMTP server refused the recipient {exception.Mailbox?.Address}",
        SmtpErrorCode.MessageNotAccepted => "the SMTP server refused the message",
        _ => "the SMTP server refused a command",
    };

    private static string FirstLine(Exception exception)
    {
        var message = exception.InnerException?.Message ?? exception.Message;
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
