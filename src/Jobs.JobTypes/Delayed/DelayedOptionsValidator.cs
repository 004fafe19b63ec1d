using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Delayed;

/// <summary>Checks <see cref="DelayedOptions"/> at start-up, naming the key of each wrong value.</summary>
public sealed class DelayedOptionsValidator : IValidateOptions<DelayedOptions>
{
    public ValidateOptionsResult Validate(string? name, DelayedOptions options)
    {
        var failures = new List<string>();
        var key = DelayedOptions.SectionName;
        foreach (var entry in options.AllowedHosts)
        {
            if (!AllowedHostEntry.TryParse(entry, out _))
            {
                failures.Add($"{key}:AllowedHosts (or {DelayedOptions.AllowedHostsVariable}) holds '{entry}', " +
                    "which is neither a host name, a *.wildcard, an IP address nor a CIDR network.");
            }
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add(
                $"{key}:RequestTimeout must be more than zero and at most 00:10:00; it is {options.RequestTimeout}.");
        }

        if (options.MaxResultBodyBytes is < 0 or > 1024 * 1024)
        {
            failures.Add(
                $"{key}:MaxResultBodyBytes must be between 0 and 1048576; it is {options.MaxResultBodyBytes}.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add($"{key}:MaxRetryAfter must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
