using System.Diagnostics;
using System.Globalization;

namespace Jobs.Bench.Engine;

/// <summary>
/// CPU seconds used by the processes of one cell, read from /proc as the peers' lib/cpu.sh reads them: this client,
/// the API process (with its silo), and the PostgreSQL server with its backends (live ones plus those reaped).
/// </summary>
internal sealed class CpuMeter(int apiPid, int postgresPid)
{
    private static readonly double TicksPerSecond = ReadClockTicks();

    public (double Client, double Server, double Database) Read() =>
        (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
         apiPid > 0 ? TreeSeconds(apiPid) : 0,
         postgresPid > 0 ? TreeSeconds(postgresPid) : 0);

    /// <summary>Prints CPU per job of each part between two readings.</summary>
    public static void ReportPerJob(
        string name, (double Client, double Server, double Database) before, (double Client, double Server, double Database) after, int jobs)
    {
        var client = after.Client - before.Client;
        var server = after.Server - before.Server;
        var database = after.Database - before.Database;
        Report.Figure($"{name}.cpu_per_job.client", client * 1000 / jobs, "ms");
        Report.Figure($"{name}.cpu_per_job.jobs_process", server * 1000 / jobs, "ms");
        Report.Figure($"{name}.cpu_per_job.postgres", database * 1000 / jobs, "ms");
        Report.Figure($"{name}.cpu_per_job.total", (client + server + database) * 1000 / jobs, "ms");
    }

    private static double TreeSeconds(int pid)
    {
        var own = Fields(pid);
        if (own is null)
        {
            return 0;
        }

        long ticks = own[11] + own[12] + own[13] + own[14];
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var child) && Fields(child) is { } fields && fields[1] == pid)
            {
                ticks += fields[11] + fields[12];
            }
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>The numeric fields of /proc/pid/stat after "pid (comm) ", or null if the process is gone.</summary>
    private static long[]? Fields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return [.. rest.Select(field => long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0)];
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double ReadClockTicks()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
        var text = getconf.StandardOutput.ReadToEnd().Trim();
        getconf.WaitForExit();
        return double.TryParse(text, CultureInfo.InvariantCulture, out var hz) ? hz : 100;
    }
}
