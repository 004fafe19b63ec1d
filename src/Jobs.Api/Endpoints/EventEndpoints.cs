using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using Jobs.Api.Auth;
using Jobs.Api.Events;
using Jobs.Api.Hosting;
using Jobs.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Endpoints;

/// <summary>
/// Server-sent events: what happens to jobs, as it happens, from whichever silo it happens on. Each event's id is
/// its sequence number; a client that reconnects with <c>Last-Event-ID</c> first gets everything it missed that is
/// still retained, then live events, with none twice and none out of order.
/// </summary>
public static class EventEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/jobs/{id:guid}/events", JobEventsAsync).WithName("WatchJob").WithTags("Events")
            .RequireAuthorization(JobsPolicies.Caller).WithCallerProblems()
            .WithSummary("Streams one job's status changes, progress and log lines (text/event-stream).")
            .WithDescription(Description)
            .Produces<JobEventResponse>(StatusCodes.Status200OK, "text/event-stream")
            .WithValidationProblems().WithProblems(StatusCodes.Status404NotFound);
        endpoints.MapGet("/api/events", AllEventsAsync).WithName("WatchJobs").WithTags("Events")
            .RequireAuthorization(JobsPolicies.Caller).WithCallerProblems()
            .WithSummary("Streams the events of many jobs, optionally of one type (text/event-stream).")
            .WithDescription(Description + " A tenant key receives its own tenant's events only; an operator key may "
                + "filter by tenant.")
            .Produces<JobEventResponse>(StatusCodes.Status200OK, "text/event-stream")
            .WithValidationProblems();
        return endpoints;
    }

    private const string Description =
        "Each event has the type status, progress, log or deleted, its sequence number as id, and a JSON object as "
        + "data. Send Last-Event-ID (as browsers' EventSource does when it reconnects) to resume after that event. "
        + "A 'heartbeat' event without id opens the stream and comes every 15 s when nothing else does; ignore it.";

    private static async Task<IResult> JobEventsAsync(
        Guid id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, JobEventFeed feed, JobEventReader reader)
    {
        if (!TryReadLastEventId(request, out var lastEventId, out var problem))
        {
            return problem!;
        }

        var job = await grains.GetGrain<IJobGrain>(id).GetAsync();
        if (job is null || (!user.IsOperator() && job.Tenant != user.TenantOf()))
        {
            return Problems.NotFound($"No job {id}.");
        }

        return Stream(request, new JobEventFilter(id, null, null), lastEventId, feed, reader);
    }

    private static IResult AllEventsAsync(
        HttpRequest request, ClaimsPrincipal user, JobEventFeed feed, JobEventReader reader, string? type, string? tenant)
    {
        if (!TryReadLastEventId(request, out var lastEventId, out var problem))
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (type is not null && !JobType.IsKnown(type))
        {
            errors["type"] = ["must be one of " + string.Join(", ", JobType.All)];
        }

        if (!user.IsOperator() && tenant is not null && tenant != user.TenantOf())
        {
            errors["tenant"] = ["a tenant key watches its own tenant's jobs only"];
        }
        else if (tenant is not null && !JobRequestValidator.IsValidTenant(tenant))
        {
            errors["tenant"] = ["must be 1 to 100 letters, digits, '.', '_' or '-'"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var filter = new JobEventFilter(null, type, user.IsOperator() ? tenant : user.TenantOf());
        return Stream(request, filter, lastEventId, feed, reader);
    }

    private static ServerSentEventsResult<JsonElement> Stream(
        HttpRequest request, JobEventFilter filter, long? lastEventId, JobEventFeed feed, JobEventReader reader)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        request.HttpContext.Response.Headers["X-Accel-Buffering"] = "no";

        // A stream ends when its client goes or when this process stops; the client then reconnects elsewhere.
        var stopping = request.HttpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return TypedResults.ServerSentEvents(EventsAsync(filter, lastEventId, feed, reader, request.HttpContext.RequestAborted, stopping));
    }

    private static async IAsyncEnumerable<SseItem<JsonElement>> EventsAsync(
        JobEventFilter filter, long? lastEventId, JobEventFeed feed, JobEventReader reader, CancellationToken aborted,
        CancellationToken stopping, [EnumeratorCancellation] CancellationToken enumeration = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping, enumeration);
        var cancellationToken = linked.Token;
        using var subscription = await feed.SubscribeAsync(filter, cancellationToken);

        // Sends the headers at once, so clients know the stream is open before the first real event.
        yield return new SseItem<JsonElement>(EmptyObject, "heartbeat");
        var last = lastEventId ?? subscription.Position;
        if (last < subscription.Position)
        {
            await foreach (var missed in reader.ReadRangeAsync(last, subscription.Position, filter, cancellationToken))
            {
                yield return ToItem(missed);
                last = missed.Seq;
            }
        }

        var events = subscription.Events;
        while (!cancellationToken.IsCancellationRequested)
        {
            var ready = await WaitAsync(events, cancellationToken);
            if (ready is null)
            {
                yield return new SseItem<JsonElement>(EmptyObject, "heartbeat");
                continue;
            }

            if (ready is false)
            {
                // Fell too far behind: the stream ends and the client resumes from the table with Last-Event-ID.
                yield break;
            }

            while (events.TryRead(out var e))
            {
                if (e.Seq > last)
                {
                    yield return ToItem(e);
                    last = e.Seq;
                }
            }
        }
    }

    /// <summary>
    /// True when events are ready; false when the subscription or the stream ended; null after a quiet heartbeat period.
    /// </summary>
    private static async Task<bool?> WaitAsync(ChannelReader<JobEvent> events, CancellationToken cancellationToken)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(Heartbeat);
        try
        {
            return await events.WaitToReadAsync(quiet.Token);
        }
        catch (OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested ? false : null;
        }
    }

    private static SseItem<JsonElement> ToItem(JobEvent e)
    {
        using var data = JsonDocument.Parse(e.DataJson);
        var body = JsonSerializer.SerializeToElement(
            new JobEventResponse(e.Seq, e.At, e.JobId, e.Type, e.Tenant, e.Kind, data.RootElement.Clone()), ApiJson.Options);
        return new SseItem<JsonElement>(body, e.Kind) { EventId = e.Seq.ToString(CultureInfo.InvariantCulture) };
    }

    private static bool TryReadLastEventId(HttpRequest request, out long? lastEventId, out IResult? problem)
    {
        lastEventId = null;
        problem = null;
        var header = request.Headers["Last-Event-ID"].ToString();
        if (header.Length == 0)
        {
            return true;
        }

        if (long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            lastEventId = parsed;
            return true;
        }

        problem = Problems.Validation("Last-Event-ID", "must be the id of an event this API sent: a whole number");
        return false;
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}

/// <summary>
/// One event: <c>status</c> (data: status, previous, attemptsMade, attempts, progress, failedReason, dueAt),
/// <c>progress</c> (percent, message), <c>log</c> (lines: id, at, attempt, level, message) or <c>deleted</c> (previous).
/// </summary>
public sealed record JobEventResponse(
    long Seq, DateTimeOffset At, Guid JobId, string Type, string Tenant, string Kind, JsonElement Data);
