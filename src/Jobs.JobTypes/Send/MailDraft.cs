using MimeKit;

namespace Jobs.JobTypes.Send;

/// <summary>A send payload read, checked and with its templates filled in: everything the mail will say.</summary>
internal sealed record MailDraft(
    MailboxAddress From,
    MailboxAddress? ReplyTo,
    IReadOnlyList<MailboxAddress> To,
    IReadOnlyList<MailboxAddress> Cc,
    IReadOnlyList<MailboxAddress> Bcc,
    string Subject,
    string? Text,
    string? Html,
    IReadOnlyList<Guid> Attachments)
{
    public IEnumerable<MailboxAddress> Recipients => To.Concat(Cc).Concat(Bcc);
}
