namespace Jobs.Rating.Tests;

/// <summary>
/// Finds the shared real data (rate decks, call records) that is never committed: JOBS_SHARED_DATA if set,
/// otherwise a shared/data folder beside the repository or one of its parents.
/// </summary>
internal static class RealData
{
    public const string UsDeck = "rates/us-npanxx-deck.csv";
    public const string EuPrefixes = "rates/eu-prefixes.csv";
    public const string AsteriskCdrs = "cdrs/asterisk-cdr.csv";

    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The full path of a shared file, or null when it is not on this machine.</summary>
    public static string? PathOf(string relative)
    {
        var path = Root.Value is { } root ? Path.Combine(root, relative) : null;
        return path is not null && File.Exists(path) ? path : null;
    }

    private static string? FindRoot()
    {
        if (Environment.GetEnvironmentVariable("JOBS_SHARED_DATA") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that needs a file of the shared real data, and skips cleanly where it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(string relativePath)
    {
        RelativePath = relativePath;
        if (RealData.PathOf(relativePath) is null)
        {
            Skip = $"Real data file {relativePath} is not on this machine (shared/data or JOBS_SHARED_DATA).";
        }
    }

    public string RelativePath { get; }
}
