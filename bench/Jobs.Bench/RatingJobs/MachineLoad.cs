using System.Globalization;

namespace Jobs.Bench.RatingJobs;

/// <summary>
/// The whole machine's load from /proc (everyone's work, not only ours: the machine is shared), so figures can be
/// read against it: the 1-minute load average and the CPU time all cores spent busy.
/// </summary>
internal readonly record struct MachineLoad(double LoadAverage, long BusyTicks, long TotalTicks)
{
    public static MachineLoad Read()
    {
        if (!File.Exists("/proc/loadavg") || !File.Exists("/proc/stat"))
        {
            return default;
        }

        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

        // "cpu user nice system idle iowait irq softirq steal ...": idle and iowait are not busy.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        return new MachineLoad(load, total - fields[3] - fields[4], total);
    }

    /// <summary>How many cores were busy on average since <paramref name="earlier"/>, by anyone.</summary>
    public double BusyCoresSince(MachineLoad earlier) => TotalTicks == earlier.TotalTicks
        ? 0
        : (double)(BusyTicks - earlier.BusyTicks) / (TotalTicks - earlier.TotalTicks) * Environment.ProcessorCount;
}
