using System.Globalization;
using System.Text;
using MimeKit;

namespace Jobs.JobTypes.Send;

/// <summary>Builds the MIME message of a draft, with its attachments streamed from the file store.</summary>
internal static class MailComposer
{
    private const string FallbackDomain = "jobs.invalid";

    /// <summary>
    /// The message. Its Message-Id is made from the job id, so a repeated attempt sends the same id and receiving
    /// systems can tell the copies apart from new mails.
    /// </summary>
    public static MimeMessage Compose(MailDraft draft, MailAttachments attachments, Guid jobId)
    {
        var message = new MimeMessage();
        message.From.Add(draft.From);
        if (draft.ReplyTo is not null)
        {
            message.ReplyTo.Add(draft.ReplyTo);
        }

        message.To.AddRange(draft.To);
        message.Cc.AddRange(draft.Cc);
        message.Bcc.AddRange(draft.Bcc);
        message.Subject = draft.Subject;
        message.MessageId = MessageIdFor(jobId, draft.From);

        var body = new BodyBuilder { TextBody = draft.Text, HtmlBody = draft.Html };
        foreach (var (file, content) in attachments.Files)
        {
            body.Attachments.Add(ToPart(file, content));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>The Message-Id of a job's mail, without angle brackets: <c>{job id}@{sender's domain}</c>.</summary>
    public static string MessageIdFor(Guid jobId, MailboxAddress from)
    {
        string domain;
        try
        {
            domain = new IdnMapping().GetAscii(from.Domain);
        }
        catch (ArgumentException)
        {
            domain = FallbackDomain;
        }

        return $"{jobId:N}@{(domain.Length == 0 ? FallbackDomain : domain)}";
    }

    private static MimePart ToPart(Files.StoredFile file, Stream content)
    {
        var type = ContentType.TryParse(file.ContentType, out var parsed)
            ? parsed
            : new ContentType("application", "octet-stream");
        return new MimePart(type)
        {
            Content = new MimeContent(content),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),

            // Chosen up front so MimeKit does not read the stream to pick an encoding.
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = SafeFileName(file.Name),
        };
    }

    /// <summary>The name without characters that do not belong in a file name parameter.</summary>
    private static string SafeFileName(string name)
    {
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            safe.Append(char.IsControl(c) || c is '/' or '\\' or '"' ? '_' : c);
        }

        return safe.Length == 0 ? "attachment" : safe.ToString();
    }
}
