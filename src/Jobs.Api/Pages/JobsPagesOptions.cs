using Microsoft.Extensions.Options;

namespace Jobs.Api.Pages;

/// <summary>The jobs page and its sign-in session (<c>Jobs:Pages</c>).</summary>
public sealed class JobsPagesOptions
{
    public const string Section = "Jobs:Pages";

    /// <summary>
    /// A CSS file loaded after the page's own styles, to brand or adjust the page without rebuilding the product.
    /// Absolute, or relative to the content root. Read on each request, so edits show on the next reload.
    /// </summary>
    public string? CustomCss { get; set; }

    /// <summary>
    /// A JavaScript module loaded after the page's own; it may listen for <c>jobs:ready</c> and <c>jobs:rendered</c>.
    /// </summary>
    public string? CustomJs { get; set; }

    /// <summary>How long a session lasts without use; each use extends it. Default 8 hours.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How often a session's API key is checked again, so a revoked key ends the sessions made with it within this
    /// time. Default 1 minute.
    /// </summary>
    public TimeSpan RevalidateAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many sign-in posts one client address may make per <see cref="SignInWindow"/>. Default 10.</summary>
    public int SignInAttempts { get; set; } = 10;

    /// <summary>The window <see cref="SignInAttempts"/> counts in. Default 1 minute.</summary>
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Says which <c>Jobs:Pages</c> value is wrong, at start-up.</summary>
public sealed class JobsPagesOptionsValidator(IHostEnvironment environment) : IValidateOptions<JobsPagesOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsPagesOptions options)
    {
        var failures = new List<string>();
        CheckFile(options.CustomCss, nameof(options.CustomCss), failures);
        CheckFile(options.CustomJs, nameof(options.CustomJs), failures);
        if (options.SessionIdleTimeout < TimeSpan.FromMinutes(1))
        {
            failures.Add($"{JobsPagesOptions.Section}:SessionIdleTimeout must be at least 00:01:00.");
        }

        if (options.RevalidateAfter <= TimeSpan.Zero || options.RevalidateAfter > options.SessionIdleTimeout)
        {
            failures.Add($"{JobsPagesOptions.Section}:RevalidateAfter must be positive and at most SessionIdleTimeout.");
        }

        if (options.SignInAttempts < 1)
        {
            failures.Add($"{JobsPagesOptions.Section}:SignInAttempts must be at least 1.");
        }

        if (options.SignInWindow < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{JobsPagesOptions.Section}:SignInWindow must be at least 00:00:01.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void CheckFile(string? path, string key, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(path) && !File.Exists(CustomFiles.Resolve(environment, path)))
        {
            failures.Add($"{JobsPagesOptions.Section}:{key} names '{path}', which is not a file.");
        }
    }
}
