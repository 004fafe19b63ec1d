using Jobs.JobTypes.ScriptForge;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.JobTypes.Tests.ScriptForge;

public sealed class SchedulePlanTests
{
    private static readonly CronSchedule EveryTenMinutes = CronSchedule.Parse("0 */10 * * * *", "UTC");

    [Fact]
    public void At_WhenOccurrencesWereMissed_OnlyTheLatestIsDue()
    {
        var clock = new FakeTimeProvider(Utc("2026-05-01T10:00:00Z"));
        var armedAt = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(47)); // down from 10:00 to 10:47: 10:10 to 10:40 were missed

        var plan = SchedulePlan.At(EveryTenMinutes, armedAt, lastOccurrence: null, clock.GetUtcNow());

        Assert.Equal(new SchedulePlan(Utc("2026-05-01T10:40:00Z"), Utc("2026-05-01T10:50:00Z")), plan);
    }

    [Fact]
    public void At_WhenTheLatestOccurrenceHasRun_NothingIsDue()
    {
        var now = Utc("2026-05-01T10:47:00Z");

        var plan = SchedulePlan.At(EveryTenMinutes, Utc("2026-05-01T09:00:00Z"), Utc("2026-05-01T10:40:00Z"), now);

        Assert.Equal(new SchedulePlan(null, Utc("2026-05-01T10:50:00Z")), plan);
    }

    [Fact]
    public void At_WhenNowIsExactlyAnOccurrence_ItIsDue()
    {
        var plan = SchedulePlan.At(EveryTenMinutes, Utc("2026-05-01T10:00:00Z"), null, Utc("2026-05-01T10:10:00Z"));

        Assert.Equal(new SchedulePlan(Utc("2026-05-01T10:10:00Z"), Utc("2026-05-01T10:20:00Z")), plan);
    }

    [Fact]
    public void At_OccurrencesBeforeTheScheduleWasSetNeverRun()
    {
        var plan = SchedulePlan.At(EveryTenMinutes, armedAt: Utc("2026-05-01T10:05:00Z"), null, Utc("2026-05-01T10:06:00Z"));

        Assert.Null(plan.Due);
    }

    [Fact]
    public void JobIdFor_IsTheSameForTheSameOccurrenceAndDiffersOtherwise()
    {
        var schedule = Guid.NewGuid();
        var occurrence = Utc("2026-05-01T10:10:00Z");

        var first = SchedulePlan.JobIdFor(schedule, occurrence);
        var again = SchedulePlan.JobIdFor(schedule, occurrence.ToOffset(TimeSpan.FromHours(2)));
        var next = SchedulePlan.JobIdFor(schedule, occurrence.AddSeconds(1));
        var otherSchedule = SchedulePlan.JobIdFor(Guid.NewGuid(), occurrence);

        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        Assert.NotEqual(first, otherSchedule);
        Assert.Equal(8, first.Version);
    }

    private static DateTimeOffset Utc(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
}
