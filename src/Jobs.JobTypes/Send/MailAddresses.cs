using System.Diagnostics.CodeAnalysis;
using MimeKit;

namespace Jobs.JobTypes.Send;

/// <summary>Parses one mailbox (<c>a@example.com</c> or <c>Name &lt;a@example.com&gt;</c>) strictly.</summary>
internal static class MailAddresses
{
    public const int MaxLength = 320;

    private static readonly ParserOptions Strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
    };

    public static bool TryParse(string text, [NotNullWhen(true)] out MailboxAddress? mailbox)
    {
        mailbox = null;
        if (text.Length is 0 or > MaxLength || HeaderText.HasForbiddenCharacter(text))
        {
            return false;
        }

        if (!MailboxAddress.TryParse(Strict, text, out var parsed))
        {
            return false;
        }

        // MimeKit accepts a bare local part in some modes; a recipient needs a domain.
        var at = parsed.Address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == parsed.Address.Length - 1)
        {
            return false;
        }

        mailbox = parsed;
        return true;
    }
}
