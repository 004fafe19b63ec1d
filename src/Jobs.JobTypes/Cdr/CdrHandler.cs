using System.Diagnostics;
using System.Text.Json;
using Jobs.Files;
using Jobs.Handlers;
using Jobs.JobTypes.Rating;
using Jobs.Rating.Cdrs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// The <c>cdr</c> job type: re-rates call records against a tenant's rate card, in partitions that run on every
/// silo of the cluster.
/// </summary>
/// <remarks>
/// <para>Payload: <c>{"cardId", "revision", "countryCode", "numberPlan": {"nationalNumberLength",
/// "internationalPrefixes", "trunkPrefix", "bareNumbersAreE164"}, "timeZone", "partitions", "keepCalls", "source"}</c>
/// where <c>source</c> is a file, <c>{"fileId", "format": "asterisk-master" | "csv", "columns": {"destination",
/// "billedSeconds", "disposition", "start", "callId"}, "defaultStart"}</c>, or calls kept by earlier jobs,
/// <c>{"stored": {"tenant", "from", "to"}}</c>. Without <c>revision</c>, each call is rated by the card revision in
/// force at its start: revisions come into force when their build completes, and call times, written without a
/// zone, are read in <c>timeZone</c> (default UTC). A call before the first revision is rated by the first.</para>
/// <para>Result: <c>{"cardId", "revisions", "currency", "records", "answered", "rated", "unmatched", "blocked",
/// "skipped", "bad", "billedSeconds", "totalCharge", "precision", "outputFileId", "partitions", "callsKept"}</c>;
/// totalCharge is an exact decimal string. The output file has one row per record (see the Rating README).</para>
/// <para>A file's calls are kept in PostgreSQL (unless <c>keepCalls</c> is false) for later re-rates of stored
/// calls; bad rows are not kept. Each partition's summary, output and calls are committed together, so an attempt
/// repeated after a silo died runs only the partitions not finished.</para>
/// </remarks>
public sealed partial class CdrHandler(
    CdrPlanner planner,
    PartitionCoordinator coordinator,
    CdrRunStore runs,
    CardStore cards,
    IFileStore files,
    IOptions<RatingOptions> options,
    ILogger<CdrHandler> logger) : IJobHandler
{
    private readonly ILogger _logger = logger;

    public string Type => JobType.Cdr;

    public PayloadValidation Validate(JsonElement payload)
    {
        var validation = new PayloadValidation();
        CdrPayloadReader.Read(payload, validation);
        return validation;
    }

    /// <summary>The card and the source.</summary>
    public IReadOnlyDictionary<string, string>? Summarize(JsonElement payload)
    {
        if (CdrPayloadReader.Read(payload, new PayloadValidation()) is not { } request)
        {
            return null;
        }

        var source = request.FileId is { } fileId
            ? $"file {fileId}"
            : $"stored calls {request.Stored!.From:yyyy-MM-dd HH:mm} to {request.Stored.To:yyyy-MM-dd HH:mm}";
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["card"] = request.CardId.ToString(), ["source"] = source };
    }

    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var validation = new PayloadValidation();
        if (CdrPayloadReader.Read(context.Payload, validation) is not { } request)
        {
            return Fail(context, "the payload is invalid: " + string.Join("; ",
                validation.ToDictionary().Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}")));
        }

        var run = await runs.GetAsync(context.JobId, cancellationToken);
        if (run?.ResultJson is { } done)
        {
            LogAlreadyDone(context.JobId);
            return JobOutcome.Completed(done);
        }

        var watch = Stopwatch.StartNew();
        if (run is null)
        {
            context.ReportProgress(0, "planning");
            var (planned, problem) = await planner.PlanAsync(context, request, cancellationToken);
            if (planned is null)
            {
                return Fail(context, problem!);
            }

            run = await runs.CreateAsync(planned, cancellationToken);
            context.Log($"Planned {run.Plan.Parts.Count} partition(s) over {run.Plan.Revisions.Count} card revision(s) "
                + $"in {watch.Elapsed.TotalSeconds:0.0} s");
            LogPlanned(context.JobId, run.Plan.Parts.Count, run.Plan.Revisions.Count);
        }

        watch.Restart();
        if (await coordinator.RunAsync(context, run, cancellationToken) is { } stopped)
        {
            return stopped is JobOutcome.Failure { Permanent: true } failure ? Fail(context, failure.Reason) : stopped;
        }

        context.Log($"Partitions rated in {watch.Elapsed.TotalSeconds:0.0} s");
        return await FinishAsync(context, request, run, cancellationToken);
    }

    /// <summary>Adds the partitions' summaries, joins their outputs into one stored file and records the result.</summary>
    private async Task<JobOutcome> FinishAsync(JobContext context, CdrRequest request, CdrRun run, CancellationToken cancellationToken)
    {
        context.ReportProgress(PartitionCoordinator.PartitionShare, "joining the output");
        var watch = Stopwatch.StartNew();
        var parts = await runs.SummariesAsync(context.JobId, cancellationToken);
        if (parts.Count != run.Plan.Parts.Count)
        {
            return JobOutcome.Failed($"only {parts.Count} of {run.Plan.Parts.Count} partitions are finished");
        }

        var total = CdrSummary.Sum(parts.Select(part => part.Summary));
        Guid outputFileId;
        await using (var joined = await runs.OpenJoinedOutputAsync(context.JobId, cancellationToken))
        {
            var stored = await files.SaveAsync(context.Tenant, $"rerated-{context.JobId:N}.csv", "text/csv", joined, cancellationToken);
            outputFileId = stored.Id;
        }

        var card = await cards.GetAsync(context.Tenant, request.CardId, cancellationToken);
        var result = new CdrResult(
            request.CardId,
            [.. run.Plan.Revisions.Select(revision => revision.Revision)],
            card?.Currency,
            total.Records,
            total.Answered,
            total.Rated,
            total.Unmatched,
            total.Blocked,
            total.Skipped,
            total.Bad,
            total.BilledSeconds,
            total.TotalChargeText,
            total.Precision,
            outputFileId,
            run.Plan.Parts.Count,
            run.KeepCalls ? parts.Sum(part => part.CallsKept) : null);
        var json = JobJson.Serialize(result);
        await runs.CompleteAsync(context.JobId, outputFileId, json, cancellationToken);
        context.Log($"Output joined into file {outputFileId} in {watch.Elapsed.TotalSeconds:0.0} s");

        LogIssues(context, total);
        context.Log($"{total.Records:N0} records: {total.Rated:N0} rated for {total.TotalChargeText} {card?.Currency}, "
            + $"{total.Unmatched:N0} unmatched, {total.Blocked:N0} blocked, {total.Skipped:N0} skipped, {total.Bad:N0} bad");
        LogRerated(context.JobId, total.Records, total.Rated, total.TotalChargeText, run.Plan.Parts.Count);
        return JobOutcome.Completed(json);
    }

    private void LogIssues(JobContext context, CdrSummary total)
    {
        var limit = options.Value.LoggedProblems;
        foreach (var issue in total.Issues.Take(limit))
        {
            context.Log($"line {issue.Line}: {issue.Status.ToString().ToLowerInvariant()} '{issue.Destination}': {issue.Reason}", "warn");
        }

        var issues = total.Unmatched + total.Blocked + total.Bad;
        if (issues > limit)
        {
            context.Log($"{issues - limit:N0} more unmatched, blocked or bad records: every one is in the output file", "warn");
        }
    }

    private JobOutcome Fail(JobContext context, string reason)
    {
        context.Log(reason, "error");
        LogFailed(context.JobId, reason);
        return JobOutcome.FailedPermanently(reason);
    }
}

/// <summary>The result of a cdr job.</summary>
internal sealed record CdrResult(
    Guid CardId,
    IReadOnlyList<int> Revisions,
    string? Currency,
    long Records,
    long Answered,
    long Rated,
    long Unmatched,
    long Blocked,
    long Skipped,
    long Bad,
    long BilledSeconds,
    string TotalCharge,
    int Precision,
    Guid OutputFileId,
    int Partitions,
    long? CallsKept);
