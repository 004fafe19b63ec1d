using Microsoft.Extensions.Options;

namespace Jobs.Api.Events;

/// <summary>How long job events stay readable for reconnecting streams. Section <c>Jobs:Events</c>.</summary>
public sealed class JobEventOptions
{
    public const string Section = "Jobs:Events";

    /// <summary>Events older than this are deleted; a client reconnecting later misses them.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often old events are trimmed.</summary>
    public TimeSpan TrimPeriod { get; set; } = TimeSpan.FromMinutes(5);
}

internal sealed class JobEventOptionsValidator : IValidateOptions<JobEventOptions>
{
    public ValidateOptionsResult Validate(string? name, JobEventOptions options)
    {
        var failures = new List<string>();
        if (options.Retention < TimeSpan.FromMinutes(1))
        {
            failures.Add($"{JobEventOptions.Section}:Retention must be at least 1 minute.");
        }

        if (options.TrimPeriod < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{JobEventOptions.Section}:TrimPeriod must be at least 1 second.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Deletes events past their retention, in batches. Every API process does it; the work does not overlap badly.</summary>
public sealed partial class JobEventTrimmer(
    JobEventReader reader, IOptions<JobEventOptions> options, TimeProvider clock, ILogger<JobEventTrimmer> logger)
    : BackgroundService
{
    private const int Batch = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TrimPeriod, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TrimAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TrimAsync(CancellationToken stoppingToken)
    {
        try
        {
            var before = clock.GetUtcNow() - options.Value.Retention;
            long trimmed;
            do
            {
                trimmed = await reader.TrimAsync(before, Batch, stoppingToken);
            }
            while (trimmed == Batch);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogTrimFailed(exception);
        }
    }

    [LoggerMessage(EventId = 5120, Level = LogLevel.Warning, Message = "Trimming old job events failed; next period retries")]
    private partial void LogTrimFailed(Exception exception);
}
