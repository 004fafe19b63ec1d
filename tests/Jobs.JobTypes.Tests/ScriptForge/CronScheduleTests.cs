using Jobs.JobTypes.ScriptForge;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.JobTypes.Tests.ScriptForge;

public sealed class CronScheduleTests
{
    // Europe/Paris: clocks go forward on 29 March 2026 at 02:00 CET (01:00 UTC) and back on 25 October 2026 at
    // 03:00 CEST (01:00 UTC). America/New_York: forward on 8 March 2026 at 02:00 EST (07:00 UTC), back on
    // 1 November 2026 at 02:00 EDT (06:00 UTC).

    [Fact]
    public void Occurrences_WhenLocalTimeIsSkippedBySpringForward_RunOnceAtTheEndOfTheGap()
    {
        var schedule = CronSchedule.Parse("0 30 2 * * *", "Europe/Paris");

        var occurrences = Drive(schedule, "2026-03-27T12:00:00Z", count: 3);

        Assert.Equal(
            [
                Utc("2026-03-28T01:30:00Z"), // 02:30 CET
                Utc("2026-03-29T01:00:00Z"), // 02:30 does not exist: 03:00 CEST
                Utc("2026-03-30T00:30:00Z"), // 02:30 CEST
            ],
            occurrences);
    }

    [Fact]
    public void Occurrences_WhenIntervalCrossesSpringForward_TheSkippedHourCollapsesIntoItsEnd()
    {
        var schedule = CronSchedule.Parse("0 */30 * * * *", "Europe/Paris");

        var occurrences = Drive(schedule, "2026-03-28T23:59:59Z", count: 4);

        Assert.Equal(
            [
                Utc("2026-03-29T00:00:00Z"), // 01:00 CET
                Utc("2026-03-29T00:30:00Z"), // 01:30 CET
                Utc("2026-03-29T01:00:00Z"), // 03:00 CEST; 02:00 and 02:30 never happen
                Utc("2026-03-29T01:30:00Z"), // 03:30 CEST
            ],
            occurrences);
    }

    [Fact]
    public void Occurrences_WhenFixedTimeIsRepeatedByFallBack_RunOnceInTheFirstPass()
    {
        var schedule = CronSchedule.Parse("0 30 2 * * *", "Europe/Paris");

        var occurrences = Drive(schedule, "2026-10-23T12:00:00Z", count: 3);

        Assert.Equal(
            [
                Utc("2026-10-24T00:30:00Z"), // 02:30 CEST
                Utc("2026-10-25T00:30:00Z"), // 02:30 CEST, the first pass; not again at 02:30 CET (01:30 UTC)
                Utc("2026-10-26T01:30:00Z"), // 02:30 CET
            ],
            occurrences);
    }

    [Fact]
    public void Occurrences_WhenIntervalCrossesFallBack_RunInBothPassesOfTheHour()
    {
        var schedule = CronSchedule.Parse("0 */30 * * * *", "Europe/Paris");

        var occurrences = Drive(schedule, "2026-10-24T23:59:59Z", count: 5);

        Assert.Equal(
            [
                Utc("2026-10-25T00:00:00Z"), // 02:00 CEST
                Utc("2026-10-25T00:30:00Z"), // 02:30 CEST
                Utc("2026-10-25T01:00:00Z"), // 02:00 CET
                Utc("2026-10-25T01:30:00Z"), // 02:30 CET
                Utc("2026-10-25T02:00:00Z"), // 03:00 CET
            ],
            occurrences);
    }

    [Fact]
    public void Occurrences_WhenHourIsARange_RunInBothPassesOfTheRepeatedHour()
    {
        var schedule = CronSchedule.Parse("0 30 1-3 * * *", "Europe/Paris");

        var occurrences = Drive(schedule, "2026-10-24T22:00:00Z", count: 4);

        Assert.Equal(
            [
                Utc("2026-10-24T23:30:00Z"), // 01:30 CEST
                Utc("2026-10-25T00:30:00Z"), // 02:30 CEST
                Utc("2026-10-25T01:30:00Z"), // 02:30 CET: a range is an interval
                Utc("2026-10-25T02:30:00Z"), // 03:30 CET
            ],
            occurrences);
    }

    [Fact]
    public void Occurrences_InNewYork_FollowTheSameRules()
    {
        var springForward = CronSchedule.Parse("0 30 2 * * *", "America/New_York");
        var fallBack = CronSchedule.Parse("0 30 1 * * *", "America/New_York");

        var spring = Drive(springForward, "2026-03-07T00:00:00Z", count: 3);
        var fall = Drive(fallBack, "2026-10-31T00:00:00Z", count: 3);

        Assert.Equal([Utc("2026-03-07T07:30:00Z"), Utc("2026-03-08T07:00:00Z"), Utc("2026-03-09T06:30:00Z")], spring);
        Assert.Equal([Utc("2026-10-31T05:30:00Z"), Utc("2026-11-01T05:30:00Z"), Utc("2026-11-02T06:30:00Z")], fall);
    }

    [Fact]
    public void GetNextOccurrence_HasSecondPrecisionAndIsStrictlyAfter()
    {
        var schedule = CronSchedule.Parse("*/15 * * * * *", "UTC");

        var afterSeven = schedule.GetNextOccurrence(Utc("2026-05-01T10:00:07Z"));
        var afterFifteen = schedule.GetNextOccurrence(Utc("2026-05-01T10:00:15Z"));

        Assert.Equal(Utc("2026-05-01T10:00:15Z"), afterSeven);
        Assert.Equal(Utc("2026-05-01T10:00:30Z"), afterFifteen);
    }

    [Fact]
    public void Parse_WhenFiveFields_SecondIsZero()
    {
        var schedule = CronSchedule.Parse("0 9 * * MON-FRI", "Europe/Paris");

        var next = schedule.GetNextOccurrence(Utc("2026-05-01T12:00:00Z")); // a Friday

        Assert.Equal(Utc("2026-05-04T07:00:00Z"), next); // Monday 09:00 CEST
    }

    [Fact]
    public void GetLatestOccurrence_FindsTheLastOneInTheWindow_HoweverLongTheWindow()
    {
        var everySecond = CronSchedule.Parse("* * * * * *", "UTC");
        var yearly = CronSchedule.Parse("0 0 0 1 1 *", "UTC");

        var latestSecond = everySecond.GetLatestOccurrence(Utc("2020-01-01T00:00:00Z"), Utc("2026-05-01T10:00:07.5Z"));
        var latestNewYear = yearly.GetLatestOccurrence(Utc("2020-01-01T00:00:00Z"), Utc("2026-05-01T10:00:00Z"));
        var none = yearly.GetLatestOccurrence(Utc("2026-01-01T00:00:00Z"), Utc("2026-05-01T10:00:00Z"));

        Assert.Equal(Utc("2026-05-01T10:00:07Z"), latestSecond);
        Assert.Equal(Utc("2026-01-01T00:00:00Z"), latestNewYear);
        Assert.Null(none);
    }

    [Theory]
    [InlineData(
        "0 61 * * * *",
        "cron",
        "field 2 (minute) '61' at position 3 is invalid: value must be a number between 0 and 59 (all inclusive)")]
    [InlineData(
        "0 0  25 * * *",
        "cron",
        "field 3 (hour) '25' at position 6 is invalid: value must be a number between 0 and 23 (all inclusive)")]
    [InlineData(
        "0 0 * * MON-XYZ",
        "cron",
        "field 5 (day of week) 'MON-XYZ' at position 9 is invalid: value must be a number between 0 and 7 (all inclusive)")]
    [InlineData(
        "* * * *",
        "cron",
        "has 4 fields; it needs 6 (second minute hour day-of-month month day-of-week) or 5 (no seconds)")]
    [InlineData("", "cron", "must be a cron expression, for example '0 */5 * * * *' (every five minutes)")]
    [InlineData("0 0 * * * *", "timeZone", "'Mars/Olympus' is not a known IANA time zone id")]
    public void Parse_WhenInvalid_NamesTheFieldAndPosition(string expression, string field, string problem)
    {
        var zone = field == "timeZone" ? "Mars/Olympus" : "UTC";

        var error = Assert.Throws<CronScheduleException>(() => CronSchedule.Parse(expression, zone));

        Assert.Equal((field, problem), (error.Field, error.Problem));
    }

    /// <summary>Runs a fake clock from one occurrence to the next, the way a schedule's timer would.</summary>
    private static List<DateTimeOffset> Drive(CronSchedule schedule, string start, int count)
    {
        var clock = new FakeTimeProvider(Utc(start));
        var occurrences = new List<DateTimeOffset>();
        while (occurrences.Count < count && schedule.GetNextOccurrence(clock.GetUtcNow()) is { } next)
        {
            clock.SetUtcNow(next);
            occurrences.Add(clock.GetUtcNow());
        }

        return occurrences;
    }

    private static DateTimeOffset Utc(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
}
