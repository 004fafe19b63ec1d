using MailKit.Net.Smtp;
using MimeKit;

namespace Jobs.JobTypes.Send;

/// <summary>
/// An SMTP client that notes which recipients the server accepted and refused instead of giving up at the first
/// refusal, so a mail still goes to the recipients that were accepted.
/// </summary>
internal sealed class RecipientTrackingSmtpClient : SmtpClient
{
    private readonly List<string> _accepted = [];
    private readonly List<RefusedRecipient> _refused = [];

    public IReadOnlyList<string> Accepted => _accepted;

    public IReadOnlyList<RefusedRecipient> Refused => _refused;

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        _accepted.Add(mailbox.Address);

    protected override void OnRecipientNotAccepted(
        MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        _refused.Add(new RefusedRecipient(mailbox.Address, (int)response.StatusCode, response.Response));

    protected override void OnNoRecipientsAccepted(MimeMessage message) =>
        throw new NoRecipientAcceptedException(_refused.ToList());
}

/// <summary>A recipient the server refused, with its reply code and text.</summary>
public sealed record RefusedRecipient(string Address, int Code, string Reply)
{
    /// <summary>The reply as the server gave it, for example <c>550 5.1.1 mailbox unavailable</c>.</summary>
    public override string ToString() => $"{Code} {Reply}";
}

/// <summary>The server refused every recipient; the mail was not sent.</summary>
internal sealed class NoRecipientAcceptedException(IReadOnlyList<RefusedRecipient> refused)
    : Exception("The SMTP server accepted none of the recipients.")
{
    public IReadOnlyList<RefusedRecipient> Refused { get; } = refused;
}
