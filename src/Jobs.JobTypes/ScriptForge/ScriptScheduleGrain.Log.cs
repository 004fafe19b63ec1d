using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.ScriptForge;

public sealed partial class ScriptScheduleGrain
{
    [LoggerMessage(EventId = 4120, Level = LogLevel.Information,
        Message = "Schedule {ScheduleId} of tenant {Tenant} set to '{Cron}' in {TimeZone}, enabled: {Enabled}")]
    private partial void LogSet(Guid scheduleId, string tenant, string cron, string timeZone, bool enabled);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Information,
        Message = "Schedule {ScheduleId} occurrence {Occurrence:O} created job {JobId} " +
            "(already existed: {Existed}, {Late} after the occurrence)")]
    private partial void LogJobCreated(Guid scheduleId, DateTimeOffset occurrence, Guid jobId, bool existed, TimeSpan late);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Warning,
        Message = "Schedule {ScheduleId} occurrence {Occurrence:O}: the job was refused: {Errors}")]
    private partial void LogJobRefused(Guid scheduleId, DateTimeOffset occurrence, string errors);

    [LoggerMessage(EventId = 4123, Level = LogLevel.Error,
        Message = "Schedule {ScheduleId} occurrence {Occurrence:O}: creating the job failed; the next tick tries again")]
    private partial void LogCreateFailed(Exception exception, Guid scheduleId, DateTimeOffset occurrence);

    [LoggerMessage(EventId = 4124, Level = LogLevel.Information, Message = "Schedule {ScheduleId} enabled: {Enabled}")]
    private partial void LogEnabled(Guid scheduleId, bool enabled);

    [LoggerMessage(EventId = 4125, Level = LogLevel.Information, Message = "Schedule {ScheduleId} deleted")]
    private partial void LogDeleted(Guid scheduleId);

    [LoggerMessage(EventId = 4127, Level = LogLevel.Warning,
        Message = "Schedule {ScheduleId} could not be recorded in the schedule index; the next activation tries again")]
    private partial void LogIndexFailed(Exception exception, Guid scheduleId);

    [LoggerMessage(EventId = 4126, Level = LogLevel.Error,
        Message = "Schedule {ScheduleId} has a stored expression that no longer parses and does not run: {Problem}")]
    private partial void LogStoredScheduleInvalid(Guid scheduleId, string problem);
}
