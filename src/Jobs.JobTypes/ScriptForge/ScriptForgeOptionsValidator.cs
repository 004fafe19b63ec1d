using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>Checks <see cref="ScriptForgeOptions"/> at start-up, naming the configuration key of each wrong value.</summary>
public sealed class ScriptForgeOptionsValidator : IValidateOptions<ScriptForgeOptions>
{
    public ValidateOptionsResult Validate(string? name, ScriptForgeOptions options)
    {
        var failures = new List<string>();
        var key = ScriptForgeOptions.SectionName;
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{key}:Timeout must be more than zero and at most 00:10:00; it is {options.Timeout}.");
        }

        CheckRange(failures, $"{key}:MaxStatements", options.MaxStatements, 1, int.MaxValue - 1);
        CheckRange(failures, $"{key}:MemoryLimitMegabytes", options.MemoryLimitMegabytes, 1, 4_096);
        CheckRange(failures, $"{key}:MaxRecursionDepth", options.MaxRecursionDepth, 1, 100_000);
        CheckRange(failures, $"{key}:MaxLogLines", options.MaxLogLines, 0, 100_000);
        CheckRange(failures, $"{key}:MaxLogLineLength", options.MaxLogLineLength, 80, 1_000_000);
        CheckRange(failures, $"{key}:MaxResultLength", options.MaxResultLength, 16, 64 * 1024 * 1024);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRange(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min:N0} and {max:N0}; it is {value:N0}.");
        }
    }
}
