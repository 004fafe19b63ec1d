using System.Security.Cryptography;
using System.Text;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// What a schedule does at one moment: the occurrence to create a job for, if one is due, and the next one.
/// </summary>
/// <remarks>
/// Only the latest due occurrence runs. After downtime (every silo stopped, the schedule disabled and its
/// reminder late) the occurrences missed meanwhile are not replayed: the latest of them runs once, when the schedule
/// wakes, and the earlier ones are skipped. Occurrences before the schedule was set or enabled never run.
/// </remarks>
public readonly record struct SchedulePlan(DateTimeOffset? Due, DateTimeOffset? Next)
{
    public static SchedulePlan At(CronSchedule schedule, DateTimeOffset armedAt, DateTimeOffset? lastOccurrence, DateTimeOffset now)
    {
        var after = lastOccurrence is { } last && last > armedAt ? last : armedAt;
        var due = now > after ? schedule.GetLatestOccurrence(after, now) : null;
        return new SchedulePlan(due, schedule.GetNextOccurrence(now));
    }

    /// <summary>
    /// The id of the job for one occurrence of one schedule. Derived, not drawn, so that a schedule firing twice for
    /// the same occurrence (a timer and a reminder, or two activations) creates the job once: the second create
    /// finds it.
    /// </summary>
    public static Guid JobIdFor(Guid scheduleId, DateTimeOffset occurrence)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"script-schedule\n{scheduleId:N}\n{occurrence.UtcTicks}"), hash);
        var bytes = hash[..16];

        // RFC 9562 version 8 (custom) with the RFC variant, so it never collides with random or time-ordered ids.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
