using System.Globalization;
using System.Security.Claims;
using Jobs.Api.Auth;
using Jobs.Api.Http;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Api.Pages;

/// <summary>Finished jobs per minute, for the jobs page's chart.</summary>
public static class ThroughputEndpoints
{
    public const int MaxMinutes = 24 * 60;

    // The partial index job_index_type_finished (type, finished_at) over finished jobs serves this range scan.
    private const string Sql = """
        SELECT date_bin('1 minute', finished_at, $2) AS minute,
               count(*) FILTER (WHERE status = 'completed'),
               count(*) FILTER (WHERE status = 'failed')
        FROM jobs.job_index
        WHERE type = $1 AND status IN ('completed', 'failed') AND finished_at >= $2 AND ($3::text IS NULL OR tenant = $3)
        GROUP BY 1
        ORDER BY 1
        """;

    public static IEndpointRouteBuilder MapThroughputEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/queues/{type}/throughput", GetAsync)
            .RequireAuthorization(JobsPolicies.Caller).WithTags("Queues").WithName("QueueThroughput")
            .Produces<ThroughputResponse>().WithCallerProblems().WithValidationProblems()
            .WithProblems(StatusCodes.Status404NotFound)
            .WithSummary("Completed and failed jobs of a type per minute, over the last minutes (default 60, at most 1440); "
                + "minutes without finished jobs are left out. A tenant key counts its own jobs only.");
        return endpoints;
    }

    private static async Task<IResult> GetAsync(
        string type, string? minutes, ClaimsPrincipal user, NpgsqlDataSource database, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!JobType.IsKnown(type))
        {
            return Problems.NotFound($"No queue '{type}'.");
        }

        var span = 60;
        if (minutes is not null
            && (!int.TryParse(minutes, NumberStyles.None, CultureInfo.InvariantCulture, out span)
                || span is < 1 or > MaxMinutes))
        {
            return Problems.Validation("minutes", $"must be a whole number from 1 to {MaxMinutes}");
        }

        var now = clock.GetUtcNow();
        var thisMinute = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var from = thisMinute.AddMinutes(1 - span);
        var tenant = user.IsOperator() ? null : user.TenantOf();

        await using var command = database.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = (object?)tenant ?? DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.Text,
        });

        var buckets = new List<ThroughputBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var minute = reader.GetFieldValue<DateTimeOffset>(0);
            buckets.Add(new ThroughputBucket(minute, reader.GetInt64(1), reader.GetInt64(2)));
        }

        return TypedResults.Ok(new ThroughputResponse(type, span, from, buckets));
    }
}

/// <summary>Jobs of one type finished per minute from <see cref="From"/> (the start of the oldest minute) until now.</summary>
public sealed record ThroughputResponse(
    string Type, int Minutes, DateTimeOffset From, IReadOnlyList<ThroughputBucket> Buckets);

/// <summary>The minute starting at <see cref="At"/>: how many jobs completed and how many failed in it.</summary>
public sealed record ThroughputBucket(DateTimeOffset At, long Completed, long Failed);
