using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Send;

/// <summary>Checks <see cref="SendOptions"/> at start-up, naming the configuration key of each wrong value.</summary>
public sealed class SendOptionsValidator : IValidateOptions<SendOptions>
{
    public ValidateOptionsResult Validate(string? name, SendOptions options)
    {
        var failures = new List<string>();
        var key = SendOptions.SectionName;
        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{key}:Port must be between 1 and 65535; it is {options.Port}.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{key}:Timeout must be more than zero and at most 00:10:00; it is {options.Timeout}.");
        }

        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
        {
            failures.Add($"{key}:Username and {key}:Password must be set together.");
        }

        if (!string.IsNullOrEmpty(options.Password) && options.Tls == SmtpTlsMode.None)
        {
            failures.Add(
                $"{key}:Password is set while {key}:Tls is None: the password would cross the network unencrypted.");
        }

        if (!string.IsNullOrEmpty(options.DefaultFrom) && !MailAddresses.TryParse(options.DefaultFrom, out _))
        {
            failures.Add($"{key}:DefaultFrom is not a mail address.");
        }

        if (options.MaxAttachmentBytes <= 0)
        {
            failures.Add($"{key}:MaxAttachmentBytes must be more than zero.");
        }

        foreach (var domain in options.AllowedFromDomains)
        {
            if (string.IsNullOrWhiteSpace(domain) || domain.Contains('@', StringComparison.Ordinal))
            {
                failures.Add($"{key}:AllowedFromDomains holds '{domain}', which is not a domain.");
            }
        }

        ValidatePins(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidatePins(SendOptions options, List<string> failures)
    {
        var key = $"{SendOptions.SectionName}:PinnedCertificateSha256";
        foreach (var pin in options.PinnedCertificateSha256)
        {
            var hex = ServerCertificateCheck.Normalize(pin ?? "");
            if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            {
                failures.Add($"{key} holds '{pin}', which is not a SHA-256 fingerprint (64 hex digits).");
            }
        }

        if (options.PinnedCertificateSha256.Count > 0 && options.Tls == SmtpTlsMode.None)
        {
            failures.Add($"{key} is set while {SendOptions.SectionName}:Tls is None: no certificate is ever checked.");
        }
    }
}
