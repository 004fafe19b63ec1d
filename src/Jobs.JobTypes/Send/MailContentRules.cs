using Jobs.Handlers;

namespace Jobs.JobTypes.Send;

/// <summary>Checks a mail's subject and bodies once templates are filled in.</summary>
internal static class MailContentRules
{
    /// <summary>The content, or null after recording why it cannot be sent.</summary>
    public static (string Subject, string? Text, string? Html)? Check(Parts parts, PayloadValidation validation)
    {
        var valid = parts.Failed.Count == 0;
        valid &= CheckSubject(parts, validation);
        valid &= CheckBody(parts.Text, BodyPath(parts, "text"), validation);
        valid &= CheckBody(parts.Html, BodyPath(parts, "html"), validation);
        var noBody = string.IsNullOrEmpty(parts.Text) && string.IsNullOrEmpty(parts.Html);
        if (noBody && !parts.Failed.Contains("text") && !parts.Failed.Contains("html"))
        {
            validation.Add("text", "or html is required: a mail needs a body.");
            valid = false;
        }

        return valid ? (parts.Subject!, NullIfEmpty(parts.Text), NullIfEmpty(parts.Html)) : null;
    }

    private static bool CheckSubject(Parts parts, PayloadValidation validation)
    {
        if (parts.Failed.Contains("subject"))
        {
            return false;
        }

        var subject = parts.Subject;
        var path = BodyPath(parts, "subject");
        if (string.IsNullOrWhiteSpace(subject))
        {
            validation.Add(path, "is required.");
            return false;
        }

        if (subject.Length > SendLimits.MaxSubjectLength)
        {
            validation.Add(path, $"is longer than {SendLimits.MaxSubjectLength} characters.");
            return false;
        }

        if (HeaderText.HasForbiddenCharacter(subject))
        {
            validation.Add(path, "contains a control or line-break character, which is not allowed in a mail header.");
            return false;
        }

        return true;
    }

    private static bool CheckBody(string? body, string path, PayloadValidation validation)
    {
        if (body is null)
        {
            return true;
        }

        if (body.Length > SendLimits.MaxBodyLength)
        {
            validation.Add(path, $"is longer than {SendLimits.MaxBodyLength} characters.");
            return false;
        }

        if (HeaderText.HasForbiddenBodyCharacter(body))
        {
            validation.Add(path, "contains a control character other than tab and line breaks.");
            return false;
        }

        return true;
    }

    private static string BodyPath(Parts parts, string part) =>
        parts.FromTemplate.Contains(part) ? $"template.{part}" : part;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// The parts as read. <see cref="FromTemplate"/> names those filled from the template, <see cref="Failed"/>
    /// those whose problem is recorded already.
    /// </summary>
    public sealed record Parts(
        string? Subject, string? Text, string? Html, IReadOnlySet<string> FromTemplate, IReadOnlySet<string> Failed);
}
