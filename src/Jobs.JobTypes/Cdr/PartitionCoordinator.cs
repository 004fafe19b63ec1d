using Jobs.Handlers;
using Jobs.JobTypes.Rating;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Drives a re-rate's unfinished partitions to the end: starts each on its grain (spread over the silos), polls them,
/// reports progress, and starts again any partition whose activation was lost with its silo or whose run failed.
/// Partitions stored as finished by an earlier attempt are not run again.
/// </summary>
public sealed partial class PartitionCoordinator(
    CdrRunStore runs, IOptions<RatingOptions> options, ILogger<PartitionCoordinator> logger)
{
    /// <summary>Share of the progress bar given to the partitions; planning and joining the output take the rest.</summary>
    public const int PartitionShare = 90;

    private readonly ILogger _logger = logger;

    /// <summary>Runs the partitions; null when all are finished, otherwise why this attempt must stop.</summary>
    internal async Task<JobOutcome?> RunAsync(JobContext context, CdrRun run, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var parts = run.Plan.Parts;
        var finished = (await runs.PartitionsAsync(context.JobId, cancellationToken)).Where(part => part.Finished)
            .Select(part => part.Part).ToHashSet();
        if (finished.Count > 0)
        {
            context.Log($"Resuming: {finished.Count} of {parts.Count} partitions were finished by an earlier attempt");
        }

        var tracks = parts.Where(part => !finished.Contains(part.Index))
            .Select(part => new Track(
                part, context.GrainFactory.GetGrain<ICdrPartitionGrain>(ICdrPartitionGrain.KeyOf(context.JobId, part.Index))))
            .ToList();
        var total = Math.Max(1, parts.Sum(part => part.Size));
        var doneBefore = parts.Where(part => finished.Contains(part.Index)).Sum(part => part.Size);
        while (tracks.Count > 0)
        {
            await Task.WhenAll(tracks.Select(track => AdvanceAsync(context, run, track)));
            if (tracks.FirstOrDefault(track => track.Outcome is not null) is { } stopped)
            {
                return stopped.Outcome;
            }

            doneBefore += tracks.Where(track => track.Finished).Sum(track => track.Part.Size);
            tracks.RemoveAll(track => track.Finished);
            var done = doneBefore + tracks.Sum(track => Math.Min(track.Done, track.Part.Size));
            context.ReportProgress(
                5 + (int)(done * (PartitionShare - 5) / total), $"{parts.Count - tracks.Count} of {parts.Count} partitions done");
            if (tracks.Count > 0)
            {
                await Task.Delay(settings.PollInterval, cancellationToken);
            }
        }

        return null;
    }

    private async Task AdvanceAsync(JobContext context, CdrRun run, Track track)
    {
        CdrPartitionState state;
        try
        {
            state = track.Runs == 0 ? await StartAsync(context, run, track) : await track.Grain.PollAsync();
            if (state.Status is CdrPartitionStatus.Idle or CdrPartitionStatus.Failed)
            {
                if (state is { Status: CdrPartitionStatus.Failed, Permanent: true })
                {
                    track.Outcome = JobOutcome.FailedPermanently($"partition {track.Part.Index}: {state.Error}");
                    return;
                }

                var why = state.Status == CdrPartitionStatus.Idle ? "its activation was lost" : state.Error;
                if (track.Runs >= options.Value.PartitionRuns)
                {
                    track.Outcome = JobOutcome.Failed($"partition {track.Part.Index} ran {track.Runs} times; last: {why}");
                    return;
                }

                context.Log($"Partition {track.Part.Index} runs again ({why})", "warn");
                LogRestarted(context.JobId, track.Part.Index, why ?? "");
                state = await StartAsync(context, run, track);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The silo holding the activation is gone or unreachable: the next round asks again, and once the
            // cluster has declared it dead, the partition's new activation is placed on a live silo.
            LogUnreachable(context.JobId, track.Part.Index, exception.Message);
            return;
        }

        track.Done = state.Done;
        track.Finished = state.Status == CdrPartitionStatus.Finished;
    }

    private static async Task<CdrPartitionState> StartAsync(JobContext context, CdrRun run, Track track)
    {
        var state = await track.Grain.StartAsync(new CdrPartitionWork
        {
            JobId = run.JobId,
            Tenant = run.Tenant,
            PayloadJson = context.PayloadJson,
            Part = track.Part,
            Revisions = run.Plan.Revisions,
            StoredJobs = run.Plan.StoredJobs,
            KeepCalls = run.KeepCalls,
        });
        track.Runs++;
        return state;
    }

    private sealed class Track(CdrPlanPart part, ICdrPartitionGrain grain)
    {
        public CdrPlanPart Part { get; } = part;

        public ICdrPartitionGrain Grain { get; } = grain;

        public int Runs { get; set; }

        public long Done { get; set; }

        public bool Finished { get; set; }

        public JobOutcome? Outcome { get; set; }
    }

    [LoggerMessage(EventId = 4330, Level = LogLevel.Information,
        Message = "Job {JobId}: partition {Part} started again: {Reason}")]
    private partial void LogRestarted(Guid jobId, int part, string reason);

    [LoggerMessage(EventId = 4331, Level = LogLevel.Debug, Message = "Job {JobId}: partition {Part} unreachable: {Error}")]
    private partial void LogUnreachable(Guid jobId, int part, string error);
}
