using System.Text.Json;
using Jobs.Files;
using Jobs.Handlers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Send;

/// <summary>
/// The <c>send</c> job type: one e-mail over SMTP (see <see cref="SendPayloadReader"/> for the payload). The result
/// is <c>{"messageId", "accepted": [...]}</c>, with <c>"refused"</c> when the server refused some recipients.
/// </summary>
/// <remarks>
/// When the server refuses some recipients and accepts others, the mail has gone out and the attempt completes:
/// retrying would send it again to those who have it. The refused ones are listed in the result and the job's
/// log. When it refuses all of them, the attempt fails, permanently if every refusal was a 5xx.
/// An attempt that runs again after a silo died may send the mail twice; both copies carry the same
/// Message-Id (made from the job id), which lets receiving systems recognise the second as a duplicate.
/// </remarks>
public sealed partial class SendHandler(
    IOptions<SendOptions> options, ILogger<SendHandler> logger, IFileStore? fileStore = null) : IJobHandler
{
    private readonly ILogger _logger = logger;

    public string Type => JobType.Send;

    public PayloadValidation Validate(JsonElement payload)
    {
        var validation = new PayloadValidation();
        SendPayloadReader.Read(payload, options.Value, validation);
        return validation;
    }

    /// <summary>The subject and the first recipient, with how many more there are.</summary>
    public IReadOnlyDictionary<string, string>? Summarize(JsonElement payload)
    {
        var draft = SendPayloadReader.Read(payload, options.Value, new PayloadValidation());
        if (draft is null)
        {
            return null;
        }

        var recipients = draft.Recipients.Select(mailbox => mailbox.Address).ToList();
        var to = recipients.Count > 1 ? $"{recipients[0]} +{recipients.Count - 1}" : recipients[0];
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["subject"] = draft.Subject, ["to"] = to };
    }

    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var validation = new PayloadValidation();
        var draft = SendPayloadReader.Read(context.Payload, settings, validation);
        if (draft is null)
        {
            return JobOutcome.FailedPermanently($"the payload is invalid: {Describe(validation)}");
        }

        if (string.IsNullOrEmpty(settings.Host))
        {
            return JobOutcome.Failed($"no SMTP server is configured ({SendOptions.SectionName}:Host is empty).");
        }

        var (attachments, failure) = await MailAttachments.OpenAsync(
            draft.Attachments, context.Tenant, fileStore, settings.MaxAttachmentBytes, cancellationToken);
        if (attachments is null)
        {
            return Finish(context, failure!);
        }

        await using (attachments)
        {
            return Finish(context, await SendAsync(context, draft, attachments, settings, cancellationToken));
        }
    }

    private async Task<JobOutcome> SendAsync(
        JobContext context,
        MailDraft draft,
        MailAttachments attachments,
        SendOptions settings,
        CancellationToken cancellationToken)
    {
        var message = MailComposer.Compose(draft, attachments, context.JobId);
        var messageId = message.MessageId!;
        try
        {
            var delivery = await new SmtpMailer(settings, _logger).SendAsync(message, context.JobId, cancellationToken);
            foreach (var recipient in delivery.Refused)
            {
                context.Log($"The SMTP server refused {recipient.Address}: {recipient}", "warn");
            }

            var refused = delivery.Refused.Count > 0 ? delivery.Refused : null;
            var result = new SendResult(messageId, delivery.Accepted, refused);
            LogSent(context.JobId, messageId, delivery.Accepted.Count, delivery.Refused.Count);
            return JobOutcome.Completed(JsonSerializer.Serialize(result, SendJsonContext.Default.SendResult));
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && SmtpFailures.ToOutcome(exception, $"{settings.Host}:{settings.Port}") is { } outcome)
        {
            LogAttemptError(context.JobId, exception);
            return outcome;
        }
    }

    private JobOutcome Finish(JobContext context, JobOutcome outcome)
    {
        if (outcome is JobOutcome.Failure failure)
        {
            context.Log(failure.Reason, "error");
            LogFailed(context.JobId, failure.Permanent, failure.Reason);
        }

        return outcome;
    }

    private static string Describe(PayloadValidation validation) => string.Join("; ",
        validation.ToDictionary().Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}"));
}
