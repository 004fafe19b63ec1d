using System.Net;
using System.Text.RegularExpressions;
using Jobs.Handlers;

namespace Jobs.JobTypes.Send;

/// <summary>
/// Fills <c>{{name}}</c> placeholders (spaces inside the braces allowed) with values. Nothing else is
/// interpreted: no expressions, loops or code, so a template can do no more than the text it holds. Values are
/// HTML-encoded in an HTML body and must not break a header line in the subject.
/// </summary>
internal static partial class MailTemplate
{
    /// <summary>Where the filled-in text goes, which decides how values are checked and encoded.</summary>
    public enum Part
    {
        Subject,
        Text,
        Html,
    }

    /// <summary>
    /// Returns <paramref name="template"/> with every placeholder replaced, or null after recording a problem for
    /// each placeholder without a usable value (at <c>values.name</c>, which is what the caller must fix).
    /// </summary>
    public static string? Render(
        string template,
        IReadOnlyDictionary<string, string> values,
        Part part,
        string templatePath,
        PayloadValidation validation)
    {
        var valid = true;
        var rendered = Placeholder().Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            if (!values.TryGetValue(name, out var value))
            {
                validation.Add($"values.{name}", $"is required: {templatePath} uses {{{{{name}}}}}.");
                valid = false;
                return match.Value;
            }

            if (part == Part.Subject && HeaderText.HasForbiddenCharacter(value))
            {
                validation.Add(
                    $"values.{name}", "is used in the subject and contains a control or line-break character.");
                valid = false;
                return match.Value;
            }

            return part == Part.Html ? WebUtility.HtmlEncode(value) : value;
        });

        return valid ? rendered : null;
    }

    [GeneratedRegex(
        @"\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Placeholder();
}
