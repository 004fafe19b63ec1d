using Jobs.Logs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Engine;

/// <summary>
/// The job grain's part in the durable log: lines collected from the handler (see JobGrain.Progress.cs) wait here
/// and go to <c>jobs.job_log</c> in one statement per progress tick, and before every state write, so an attempt's
/// last lines are stored no later than its outcome.
/// </summary>
public sealed partial class JobGrain
{
    /// <summary>Lines kept for a retry while the database is unreachable; older ones are dropped past this.</summary>
    private const int MaxUnwrittenLogLines = 10_000;

    private List<JobLogLine>? _unwrittenLogs;
    private JobLogStore? _logStore;

    private void QueueLogLines(IReadOnlyList<JobLogLine> lines)
    {
        var queue = _unwrittenLogs ??= [];
        queue.AddRange(lines);
        if (queue.Count > MaxUnwrittenLogLines)
        {
            queue.RemoveRange(0, queue.Count - MaxUnwrittenLogLines);
        }
    }

    /// <summary>
    /// Writes the waiting lines. A failure keeps them for the next try and does not fail the caller: the state
    /// write that usually follows reports an unreachable database in its own way.
    /// </summary>
    private async Task WriteLogLinesAsync()
    {
        if (_unwrittenLogs is not { Count: > 0 } lines)
        {
            return;
        }

        _logStore ??= ActivatorUtilities.GetServiceOrCreateInstance<JobLogStore>(ServiceProvider);
        try
        {
            await _logStore.AppendAsync(State.Id, State.Type, State.Tenant, lines, CancellationToken.None);
            lines.Clear();
        }
        catch (Exception exception)
        {
            LogLogLinesNotWritten(exception, State.Id, lines.Count);
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning,
        Message = "Job {JobId}: {Count} log lines could not be stored yet; they are kept for the next try")]
    private partial void LogLogLinesNotWritten(Exception exception, Guid jobId, int count);
}
