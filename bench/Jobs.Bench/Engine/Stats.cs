namespace Jobs.Bench.Engine;

internal static class Stats
{
    /// <summary>The p-th percentile (0–100) by nearest rank.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static void ReportLatencies(string name, IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        Report.Figure($"{name}.p50", Percentile(sorted, 50), "ms");
        Report.Figure($"{name}.p95", Percentile(sorted, 95), "ms");
        Report.Figure($"{name}.p99", Percentile(sorted, 99), "ms");
    }
}
