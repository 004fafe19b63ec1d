using Jobs.Files;
using Jobs.Handlers;
using Jobs.JobTypes.Rating;
using Jobs.Rating.Cdrs;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Cdr;

/// <summary>
/// Plans a re-rate on its first attempt: which card revisions, and how the input is split. A file is split into
/// byte ranges at line starts (one scan for line breaks gives every partition its exact first line number); stored
/// calls into equal time ranges, counted first so that line numbers run on across partitions.
/// </summary>
public sealed class CdrPlanner(CardStore cards, CallStore calls, IFileStore files, IOptions<RatingOptions> options)
{
    /// <summary>The plan, or the reason there can be none (a problem of the payload's, so final).</summary>
    internal async Task<(CdrRun? Run, string? Problem)> PlanAsync(
        JobContext context, CdrRequest request, CancellationToken cancellationToken)
    {
        var (revisions, problem) = await RevisionsAsync(context.Tenant, request, cancellationToken);
        if (revisions is null)
        {
            return (null, problem);
        }

        if (request.FileId is { } fileId)
        {
            var parts = await PlanFileAsync(context.Tenant, fileId, request, cancellationToken);
            return parts is null
                ? (null, $"payload.source.fileId: there is no file {fileId} for tenant {context.Tenant}")
                : (new CdrRun(context.JobId, context.Tenant, fileId, request.KeepCalls, new CdrPlan(parts, revisions, [])), null);
        }

        var stored = request.Stored!;
        if (stored.Tenant is { } tenant && tenant != context.Tenant)
        {
            return (null, $"payload.source.stored.tenant: a job of tenant {context.Tenant} re-rates its own calls; "
                + $"create the job for tenant {tenant} instead");
        }

        var jobs = await calls.KeepingJobsAsync(context.Tenant, cancellationToken);
        var storedParts = await PlanStoredAsync(context.Tenant, jobs, stored, request.Partitions, cancellationToken);
        return (new CdrRun(context.JobId, context.Tenant, null, false, new CdrPlan(storedParts, revisions, jobs)), null);
    }

    private async Task<(IReadOnlyList<PlannedRevision>? Revisions, string? Problem)> RevisionsAsync(
        string tenant, CdrRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyList<CardRevision> revisions = request.Revision is { } number
            ? await cards.RevisionAsync(tenant, request.CardId, number, cancellationToken) is { } one ? [one] : []
            : await cards.RevisionsAsync(tenant, request.CardId, cancellationToken);
        if (revisions.Count > 0)
        {
            return ([.. revisions.Select(revision => new PlannedRevision(
                revision.Id, revision.Revision, TimeZoneInfo.ConvertTime(revision.CompletedAt, request.TimeZone).DateTime))], null);
        }

        return request.Revision is { } missing && await cards.GetAsync(tenant, request.CardId, cancellationToken) is { } card
            ? (null, $"payload.revision: card '{card.Name}' has no revision {missing} (its current revision is {card.CurrentRevision})")
            : (null, $"payload.cardId: there is no card {request.CardId} for tenant {tenant}");
    }

    private async Task<List<CdrPlanPart>?> PlanFileAsync(
        string tenant, Guid fileId, CdrRequest request, CancellationToken cancellationToken)
    {
        await using var input = await files.OpenReadAsync(fileId, tenant, cancellationToken);
        if (input is null)
        {
            return null;
        }

        var settings = options.Value;
        var count = request.Partitions
            ?? (int)Math.Clamp((input.Length + settings.PartitionBytes - 1) / settings.PartitionBytes, 1, settings.MaxPartitions);
        var planned = await CdrPartitioner.PlanAsync(input, count, request.Settings, cancellationToken);
        if (planned.Count == 0)
        {
            // Nothing to rate (an empty file, or a header alone): one partition still writes the output's header.
            var headed = request.Settings.Format == CdrFormat.Csv;
            return [new CdrPlanPart { Index = 0, StartByte = headed ? input.Length : 0, EndByte = input.Length, FirstLine = 1 }];
        }

        return [.. planned.Select(part => new CdrPlanPart
        {
            Index = part.Index,
            StartByte = part.StartByte,
            EndByte = part.EndByte,
            FirstLine = part.FirstLine,
            Size = part.EndByte - part.StartByte,
        })];
    }

    private async Task<List<CdrPlanPart>> PlanStoredAsync(
        string tenant, IReadOnlyList<Guid> jobs, StoredCalls stored, int? partitions, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var total = (await calls.CountAsync(tenant, jobs, [stored.From, stored.To], cancellationToken))[0];
        var count = partitions
            ?? (int)Math.Clamp((total + settings.PartitionCalls - 1) / settings.PartitionCalls, 1, settings.MaxPartitions);
        var bounds = TimeBounds(stored.From, stored.To, count);
        var counts = await calls.CountAsync(tenant, jobs, bounds, cancellationToken);

        var parts = new List<CdrPlanPart>(count);
        long firstLine = 1;
        for (var i = 0; i < count; i++)
        {
            parts.Add(new CdrPlanPart { Index = i, From = bounds[i], To = bounds[i + 1], FirstLine = firstLine, Size = counts[i] });
            firstLine += counts[i];
        }

        return parts;
    }

    /// <summary>Equal time ranges, cut at whole seconds (calls are kept to the microsecond, and bounds are exact).</summary>
    private static List<DateTime> TimeBounds(DateTime from, DateTime to, int count)
    {
        var bounds = new List<DateTime>(count + 1) { from };
        for (var i = 1; i < count; i++)
        {
            var ticks = from.Ticks + ((to.Ticks - from.Ticks) / count * i);
            var bound = Math.Max(ticks - (ticks % TimeSpan.TicksPerSecond), bounds[^1].Ticks);
            bounds.Add(new DateTime(bound, DateTimeKind.Unspecified));
        }

        bounds.Add(to);
        return bounds;
    }
}
