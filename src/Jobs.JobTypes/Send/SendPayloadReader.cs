using System.Text.Json;
using Jobs.Handlers;
using MimeKit;

namespace Jobs.JobTypes.Send;

/// <summary>
/// Reads a send payload into a <see cref="MailDraft"/>, recording every problem at the path of its field.
/// </summary>
/// <remarks>
/// Payload: <c>from</c>, <c>replyTo</c>, <c>to</c>, <c>cc</c>, <c>bcc</c> (a mail address or a list of them),
/// <c>subject</c>, <c>text</c>, <c>html</c>, <c>attachments</c> (file ids), and <c>template</c> with
/// <c>values</c>. A template is an object with any of <c>subject</c>, <c>text</c> and <c>html</c> whose
/// <c>{{name}}</c> placeholders are filled from <c>values</c>; a part comes either from the template or directly,
/// not both. Text given directly is sent as it is, braces included.
/// </remarks>
internal static class SendPayloadReader
{
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "from", "replyTo", "to", "cc", "bcc", "subject", "text", "html", "attachments", "template", "values",
    };

    private static readonly string[] Parts = ["subject", "text", "html"];

    /// <summary>The draft, or null when <paramref name="validation"/> received at least one problem.</summary>
    public static MailDraft? Read(JsonElement payload, SendOptions options, PayloadValidation validation)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            validation.Add("", "must be a JSON object.");
            return null;
        }

        RefuseUnknownFields(payload, validation);
        var from = ReadFrom(payload, options, validation);
        var replyTo = ReadSingleAddress(payload, "replyTo", validation);
        var to = ReadAddressList(payload, "to", validation);
        var cc = ReadAddressList(payload, "cc", validation);
        var bcc = ReadAddressList(payload, "bcc", validation);
        CheckRecipientCount(to.Count + cc.Count + bcc.Count, validation);
        var content = ReadContent(payload, validation);
        var attachments = ReadAttachments(payload, validation);

        if (!validation.IsValid || from is null || content is null)
        {
            return null;
        }

        return new MailDraft(from, replyTo, to, cc, bcc, content.Value.Subject, content.Value.Text,
            content.Value.Html, attachments);
    }

    private static void RefuseUnknownFields(JsonElement payload, PayloadValidation validation)
    {
        foreach (var property in payload.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name))
            {
                validation.Add(property.Name, "is not a field of a send payload.");
            }
        }
    }

    private static MailboxAddress? ReadFrom(JsonElement payload, SendOptions options, PayloadValidation validation)
    {
        if (!JsonFields.TryGetString(payload, "from", "from", validation, out var text))
        {
            return null;
        }

        if (text is null)
        {
            var configured = options.DefaultFrom;
            if (!string.IsNullOrEmpty(configured) && MailAddresses.TryParse(configured, out var fallback))
            {
                return fallback;
            }

            validation.Add("from", "is required: no default sender is configured.");
            return null;
        }

        if (!MailAddresses.TryParse(text, out var from))
        {
            validation.Add("from", DescribeBadAddress(text));
            return null;
        }

        if (options.AllowedFromDomains.Count > 0 && !options.AllowedFromDomains.Contains(
                from.Domain, StringComparer.OrdinalIgnoreCase))
        {
            validation.Add("from", $"uses the domain '{from.Domain}', which this platform may not send from.");
            return null;
        }

        return from;
    }

    private static MailboxAddress? ReadSingleAddress(JsonElement payload, string field, PayloadValidation validation)
    {
        if (!JsonFields.TryGetString(payload, field, field, validation, out var text) || text is null)
        {
            return null;
        }

        if (MailAddresses.TryParse(text, out var mailbox))
        {
            return mailbox;
        }

        validation.Add(field, DescribeBadAddress(text));
        return null;
    }

    private static List<MailboxAddress> ReadAddressList(JsonElement payload, string field, PayloadValidation validation)
    {
        var addresses = new List<MailboxAddress>();
        if (!payload.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return addresses;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            AddAddress(value.GetString()!, field, addresses, validation);
            return addresses;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            validation.Add(field, "must be a mail address or a list of mail addresses.");
            return addresses;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"{field}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                validation.Add(path, "must be a string holding a mail address.");
                continue;
            }

            AddAddress(item.GetString()!, path, addresses, validation);
        }

        return addresses;
    }

    private static void AddAddress(
        string text, string path, List<MailboxAddress> addresses, PayloadValidation validation)
    {
        if (MailAddresses.TryParse(text, out var mailbox))
        {
            addresses.Add(mailbox);
            return;
        }

        validation.Add(path, DescribeBadAddress(text));
    }

    private static string DescribeBadAddress(string text) => HeaderText.HasForbiddenCharacter(text)
        ? "contains a control or line-break character, which is not allowed in a mail header."
        : text.Length > MailAddresses.MaxLength
            ? $"is longer than {MailAddresses.MaxLength} characters."
            : "is not a single mail address (for example a@example.com or \"Name <a@example.com>\").";

    private static void CheckRecipientCount(int count, PayloadValidation validation)
    {
        if (count == 0)
        {
            validation.Add("to", "needs at least one recipient in to, cc or bcc.");
        }
        else if (count > SendLimits.MaxRecipients)
        {
            validation.Add(
                "to", $"has {count} recipients in to, cc and bcc; at most {SendLimits.MaxRecipients} are allowed.");
        }
    }

    private static (string Subject, string? Text, string? Html)? ReadContent(
        JsonElement payload, PayloadValidation validation)
    {
        var template = ReadTemplate(payload, validation);
        var values = TemplateValues.Read(payload, validation);
        if (values is not null && template is null)
        {
            validation.Add("values",
                "needs a template: placeholders are filled only in template.subject, template.text and template.html.");
        }

        var parts = new Dictionary<string, string?>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var fromTemplate = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in Parts)
        {
            if (template is { } t && t.TryGetProperty(part, out _))
            {
                fromTemplate.Add(part);
            }

            if (ReadPart(payload, template, values ?? TemplateValues.None, part, validation, out var text))
            {
                parts[part] = text;
            }
            else
            {
                failed.Add(part);
            }
        }

        return MailContentRules.Check(
            new MailContentRules.Parts(parts.GetValueOrDefault("subject"), parts.GetValueOrDefault("text"),
                parts.GetValueOrDefault("html"), fromTemplate, failed),
            validation);
    }

    private static JsonElement? ReadTemplate(JsonElement payload, PayloadValidation validation)
    {
        if (!payload.TryGetProperty("template", out var template) || template.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (template.ValueKind != JsonValueKind.Object)
        {
            validation.Add("template", "must be an object with any of subject, text and html.");
            return null;
        }

        foreach (var property in template.EnumerateObject())
        {
            if (Array.IndexOf(Parts, property.Name) < 0)
            {
                validation.Add($"template.{property.Name}", "is not a template part: use subject, text or html.");
            }
        }

        return template;
    }

    /// <summary>Reads one part, filling its template in; false when a problem was recorded for it.</summary>
    private static bool ReadPart(
        JsonElement payload,
        JsonElement? template,
        IReadOnlyDictionary<string, string> values,
        string part,
        PayloadValidation validation,
        out string? text)
    {
        text = null;
        var ok = JsonFields.TryGetString(payload, part, part, validation, out var direct);
        string? templated = null;
        if (template is { } t)
        {
            ok &= JsonFields.TryGetString(t, part, $"template.{part}", validation, out templated);
        }

        if (!ok || templated is null)
        {
            text = direct;
            return ok;
        }

        if (direct is not null)
        {
            validation.Add(part, $"is given both directly and in template.{part}; give it once.");
            return false;
        }

        var kind = part switch
        {
            "subject" => MailTemplate.Part.Subject,
            "html" => MailTemplate.Part.Html,
            _ => MailTemplate.Part.Text,
        };
        text = MailTemplate.Render(templated, values, kind, $"template.{part}", validation);
        return text is not null;
    }

    private static List<Guid> ReadAttachments(JsonElement payload, PayloadValidation validation)
    {
        var ids = new List<Guid>();
        if (!payload.TryGetProperty("attachments", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return ids;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            validation.Add("attachments", "must be a list of file ids.");
            return ids;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"attachments[{index++}]";
            if (item.ValueKind == JsonValueKind.String && Guid.TryParse(item.GetString(), out var id))
            {
                ids.Add(id);
            }
            else
            {
                validation.Add(path, "must be a file id (a GUID such as 0196f0c2-7a4e-7c3b-9a51-2f0d3e4b5c6d).");
            }
        }

        if (ids.Count > SendLimits.MaxAttachments)
        {
            validation.Add("attachments", $"has {ids.Count} files; at most {SendLimits.MaxAttachments} are allowed.");
        }

        return ids;
    }
}
