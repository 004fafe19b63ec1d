namespace Jobs.Bench;

/// <summary>The benchmark suites this program can run, by the name given on the command line.</summary>
internal static class BenchSuites
{
    public static IReadOnlyDictionary<string, Func<string[], Task<int>>> All { get; } =
        new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
        {
            ["rating"] = Rating.RatingBench.RunAsync,
            ["rating-jobs"] = RatingJobs.RatingJobsBench.RunAsync,
            ["engine"] = Engine.EngineBench.RunAsync,
        };
}
