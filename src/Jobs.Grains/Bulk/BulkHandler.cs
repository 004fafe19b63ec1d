using System.Globalization;
using System.Text.Json;
using Jobs.Handlers;
using Jobs.Registry;
using Jobs.Retention;
using Microsoft.Extensions.Logging;

namespace Jobs.Bulk;

/// <summary>
/// The <c>bulk</c> job type: retries, cancels or deletes every job matching a filter. It pages through the job
/// index newest first with the keyset cursor, acts on each page in parallel, and saves its place after every page,
/// so millions of jobs take many small steps and an attempt that starts again after its silo died carries on.
/// Every action is safe to repeat: retrying a job that is no longer failed, cancelling a finished one or deleting
/// a deleted one changes nothing and is counted as skipped.
/// </summary>
public sealed partial class BulkHandler(
    JobIndex index, JobDeleter deleter, BulkCheckpoints checkpoints, TimeProvider clock, ILogger<BulkHandler> logger)
    : IJobHandler
{
    public const int PageSize = 500;
    private const int Parallelism = 32;

    private static readonly JobStatus[] Deletable = [JobStatus.Wait, JobStatus.Delayed, JobStatus.Completed, JobStatus.Failed];

    public string Type => JobType.Bulk;

    public PayloadValidation Validate(JsonElement payload)
    {
        var validation = PayloadValidation.Valid;
        BulkPayload.Read(payload, validation);
        return validation;
    }

    public IReadOnlyDictionary<string, string>? Summarize(JsonElement payload)
    {
        var parsed = BulkPayload.Read(payload, PayloadValidation.Valid);
        return parsed is null ? null : new Dictionary<string, string>
        {
            ["action"] = parsed.Action.ToString().ToLowerInvariant(),
            ["type"] = parsed.Filter.Type ?? "any",
            ["status"] = parsed.Filter.Status?.ToId() ?? "any",
        };
    }

    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var validation = PayloadValidation.Valid;
        if (BulkPayload.Read(context.Payload, validation) is not { } payload)
        {
            return JobOutcome.FailedPermanently("invalid bulk payload");
        }

        var types = payload.Filter.Type is { } type ? [type] : JobType.All.Where(t => t != JobType.Bulk).ToArray();
        var checkpoint = await checkpoints.LoadAsync(context.JobId, cancellationToken) ?? await BeginAsync(context, payload, types, cancellationToken);
        LogResumed(context.JobId, checkpoint.Matched, checkpoint.Total);

        while (checkpoint.TypeIndex < types.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await index.ListAsync(types[checkpoint.TypeIndex], Query(payload.Filter, checkpoint), cancellationToken);
            var acted = await ActAsync(context, payload.Action, page.Items, cancellationToken);
            checkpoint = page.NextCursor is { } next
                ? checkpoint with { Cursor = next }
                : checkpoint with { Cursor = null, TypeIndex = checkpoint.TypeIndex + 1 };
            checkpoint = checkpoint with { Matched = checkpoint.Matched + page.Items.Count, Acted = checkpoint.Acted + acted };
            await checkpoints.SaveAsync(context.JobId, checkpoint, cancellationToken);
            Report(context, payload.Action, checkpoint);
        }

        await checkpoints.DeleteAsync(context.JobId, CancellationToken.None);
        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"{Verb(payload.Action)} {checkpoint.Acted} of {checkpoint.Matched} matching jobs"));
        return JobOutcome.Completed(JsonSerializer.Serialize(new
        {
            action = payload.Action.ToString().ToLowerInvariant(),
            matched = checkpoint.Matched,
            acted = checkpoint.Acted,
            skipped = checkpoint.Matched - checkpoint.Acted,
        }, JobJson.Options));
    }

    private async Task<BulkCheckpoint> BeginAsync(
        JobContext context, BulkPayload payload, IReadOnlyList<string> types, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var upTo = payload.Filter.To is { } to && to < now ? to : now;
        var total = await checkpoints.CountAsync(types, payload.Filter, upTo, cancellationToken);
        var checkpoint = new BulkCheckpoint { UpTo = upTo, Total = total };
        await checkpoints.SaveAsync(context.JobId, checkpoint, cancellationToken);
        context.Log(string.Create(CultureInfo.InvariantCulture, $"{total} jobs match; acting on them in pages of {PageSize}"));
        return checkpoint;
    }

    private static JobQuery Query(BulkFilter filter, BulkCheckpoint checkpoint) => new()
    {
        Status = filter.Status,
        Tenant = filter.Tenant,
        From = filter.From,
        To = checkpoint.UpTo,
        Limit = PageSize,
        Cursor = checkpoint.Cursor,
    };

    private async Task<int> ActAsync(
        JobContext context, BulkAction action, IReadOnlyList<JobListItem> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return 0;
        }

        if (action == BulkAction.Delete)
        {
            var ids = jobs.Where(job => job.Status != JobStatus.Active).Select(job => job.Id).ToArray();
            return (await deleter.DeleteAsync(ids, Deletable, cancellationToken)).Count;
        }

        var acted = 0;
        await Parallel.ForEachAsync(
            jobs,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (job, _) =>
            {
                var grain = context.GrainFactory.GetGrain<IJobGrain>(job.Id);
                var result = action == BulkAction.Retry ? await grain.RetryAsync() : await grain.CancelAsync();
                if (result.Status == JobCommandStatus.Done)
                {
                    Interlocked.Increment(ref acted);
                }
            });
        return acted;
    }

    private static void Report(JobContext context, BulkAction action, BulkCheckpoint checkpoint)
    {
        var percent = checkpoint.Total == 0 ? 99 : (int)Math.Min(99, checkpoint.Matched * 100 / checkpoint.Total);
        context.ReportProgress(percent, string.Create(CultureInfo.InvariantCulture,
            $"{Verb(action)} {checkpoint.Acted} of {checkpoint.Matched} jobs looked at ({checkpoint.Total} matched at the start)"));
    }

    private static string Verb(BulkAction action) => action switch
    {
        BulkAction.Retry => "retried",
        BulkAction.Cancel => "cancelled",
        _ => "deleted",
    };

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information,
        Message = "Bulk job {JobId} starts at {Matched} of {Total} matching jobs")]
    private partial void LogResumed(Guid jobId, long matched, long total);
}
