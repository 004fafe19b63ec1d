using Jobs.Files;
using Jobs.Handlers;
using Jobs.JobTypes.Rating;
using Jobs.Rating;
using Jobs.Rating.Cdrs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Does the work of one re-rate partition on this silo: claims it (<see cref="CdrRunStore.ClaimAsync"/>), rates its
/// part of the input, stores its output chunks and kept calls, and records its summary. At most
/// <see cref="RatingOptions.PartitionsPerSilo"/> run at once; the others wait for a slot.
/// </summary>
public sealed partial class CdrPartitionRunner(
    CdrRunStore runs,
    CallStore calls,
    CardStore cards,
    IFileStore files,
    IOptions<RatingOptions> options,
    ILocalSiloDetails silo,
    ILogger<CdrPartitionRunner> logger)
{
    private readonly SemaphoreSlim _slots = new(options.Value.PartitionsPerSilo);
    private readonly ILogger _logger = logger;

    /// <summary>Runs the partition unless it is finished; <paramref name="progress"/> receives the work done so far.</summary>
    public async Task RunAsync(CdrPartitionWork work, Action<long> progress, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            await RunClaimedAsync(work, progress, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task RunClaimedAsync(CdrPartitionWork work, Action<long> progress, CancellationToken cancellationToken)
    {
        var request = CdrPayloadReader.Read(JobJsonElement(work.PayloadJson), new PayloadValidation())
            ?? throw new CdrInputException("the job's payload is invalid");
        var part = work.Part;
        await using var claim = await runs.ClaimAsync(work.JobId, part.Index, work.KeepCalls, cancellationToken);
        if (claim is null)
        {
            LogAlreadyFinished(work.JobId, part.Index);
            return;
        }

        LogPartitionStarted(work.JobId, part.Index, silo.SiloAddress.ToParsableString());
        var timeline = await TimelineAsync(work.Revisions, cancellationToken);
        var rerater = new CdrRerater(timeline, request.Settings);
        await using var input = await OpenInputAsync(work, request, cancellationToken);
        await using var output = await runs.OpenOutputAsync(work.JobId, part.Index, cancellationToken);
        var sink = work.KeepCalls ? await claim.KeepCallsAsync(work.Tenant, cancellationToken) : null;
        var run = new CdrRunOptions
        {
            Partition = request.FileId is null ? null : new CdrPartition(part.Index, part.StartByte, part.EndByte, part.FirstLine),
            FirstLine = request.FileId is null ? part.FirstLine : null,
            WriteHeader = part.Index == 0,
            Calls = sink,
            Progress = new Progress(request.FileId is null, progress),
        };

        var summary = await rerater.RateAsync(input, output, run, cancellationToken);
        await output.CompleteAsync(cancellationToken);
        await claim.FinishAsync(summary, silo.SiloAddress.ToParsableString(), cancellationToken);
        LogPartitionFinished(work.JobId, part.Index, summary.Records, summary.TotalChargeText);
    }

    /// <summary>
    /// The card revisions as a timeline. One revision is loaded now; of several, each is loaded when a call first needs
    /// it, on the partition's own thread (blocking it for the load, which the silo's card cache makes rare).
    /// </summary>
    private async Task<CardTimeline> TimelineAsync(IReadOnlyList<PlannedRevision> planned, CancellationToken cancellationToken)
    {
        var periods = new List<CardPeriod>(planned.Count);
        foreach (var revision in planned)
        {
            var stored = await cards.FindBuiltByAsync(revision.Id, cancellationToken)
                ?? throw new CdrInputException($"card revision {revision.Revision} no longer exists");
            if (planned.Count == 1)
            {
                return CardTimeline.Of(await cards.LoadAsync(stored, cancellationToken));
            }

            periods.Add(new CardPeriod(revision.InForceFrom, stored.Precision,
                () => cards.LoadAsync(stored, CancellationToken.None).GetAwaiter().GetResult()));
        }

        return CardTimeline.Create(periods);
    }

    private async Task<Stream> OpenInputAsync(CdrPartitionWork work, CdrRequest request, CancellationToken cancellationToken)
    {
        if (request.FileId is { } fileId)
        {
            return await files.OpenReadAsync(fileId, work.Tenant, cancellationToken)
                ?? throw new CdrInputException($"payload.source.fileId: there is no file {fileId} for tenant {work.Tenant}");
        }

        var part = work.Part;
        return await calls.OpenExportAsync(work.Tenant, work.StoredJobs, part.From!.Value, part.To!.Value, cancellationToken);
    }

    private static System.Text.Json.JsonElement JobJsonElement(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Bytes read for a file; records read for stored calls.</summary>
    private sealed class Progress(bool countRecords, Action<long> report) : IProgress<ReadProgress>
    {
        public void Report(ReadProgress value) => report(countRecords ? value.RowsRead : value.BytesRead);
    }
}
