using System.Globalization;

namespace Jobs.Bench.RatingJobs;

/// <summary>
/// CPU seconds spent by this process (the silo and the bench) and by the PostgreSQL backends serving the bench's
/// database (found by the database's unique name in their command lines). Unlike wall time, these barely depend on
/// what else the shared machine runs, so they tell what a re-rate costs.
/// </summary>
internal readonly record struct CpuTime(double Process, double Postgres)
{
    private static readonly double TicksPerSecond = 100;

    public static CpuTime Read(string database)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new CpuTime(process.TotalProcessorTime.TotalSeconds, BackendSeconds(database));
    }

    public CpuTime Since(CpuTime earlier) => new(Process - earlier.Process, Postgres - earlier.Postgres);

    private static double BackendSeconds(string database)
    {
        if (!Directory.Exists("/proc"))
        {
            return 0;
        }

        double seconds = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            try
            {
                var command = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (command.StartsWith("postgres: ", StringComparison.Ordinal)
                    && command.Contains($" {database} ", StringComparison.Ordinal))
                {
                    seconds += StatSeconds(File.ReadAllText(Path.Combine(directory, "stat")));
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return seconds;
    }

    /// <summary>utime + stime of a /proc/[pid]/stat line (fields 14 and 15, counted after the command's parenthesis).</summary>
    private static double StatSeconds(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture))
            / TicksPerSecond;
    }
}
