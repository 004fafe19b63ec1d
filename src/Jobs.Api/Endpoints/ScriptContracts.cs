using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Jobs.Api.Auth;
using Jobs.JobTypes.ScriptForge;

namespace Jobs.Api.Endpoints;

/// <summary>The body of <c>POST /api/scripts</c>.</summary>
public sealed record CreateScriptRequest
{
    /// <summary>Unique among the tenant's scripts; 1 to 200 characters without leading or trailing spaces.</summary>
    public string? Name { get; init; }

    /// <summary>The JavaScript source of version 1; it must parse.</summary>
    public string? Source { get; init; }

    /// <summary>The tenant to store the script for; operators only (a tenant key always stores for its own tenant).</summary>
    public string? Tenant { get; init; }
}

/// <summary>The body of <c>POST /api/scripts/{id}/versions</c>.</summary>
public sealed record AddScriptVersionRequest
{
    /// <summary>The JavaScript source of the next version; it must parse.</summary>
    public string? Source { get; init; }
}

/// <summary>A version of a script; the source only where the route returns it.</summary>
public sealed record ScriptVersionResponse(
    Guid Id, string Tenant, string Name, int Version, DateTimeOffset CreatedAt, string? Source = null)
{
    public static ScriptVersionResponse From(StoredScript script, bool withSource) => new(
        script.Id, script.Tenant, script.Name, script.Version, script.CreatedAt, withSource ? script.Source : null);
}

/// <summary>A script: its latest version with the source, and the list of every version.</summary>
public sealed record ScriptResponse(
    Guid Id, string Tenant, string Name, int Version, string Source, DateTimeOffset CreatedAt,
    IReadOnlyList<ScriptVersionItem> Versions);

/// <summary>One version in a script's history: its number, its source's length in characters, when it was saved.</summary>
public sealed record ScriptVersionItem(int Version, int Length, DateTimeOffset CreatedAt);

public sealed record ScriptListItem(
    Guid Id, string Tenant, string Name, int LatestVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A page of a listing; pass <c>nextCursor</c> as <c>cursor</c> for the next one (absent on the last page).</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The body of <c>POST /api/scripts/schedules</c> and <c>PUT /api/scripts/schedules/{id}</c>.</summary>
public sealed record ScheduleRequest
{
    /// <summary>The stored script to run; it must be the tenant's.</summary>
    public Guid? ScriptId { get; init; }

    /// <summary>The version to run; absent or null runs the latest version when each job starts.</summary>
    public int? Version { get; init; }

    /// <summary>The global function to call; absent takes the script's completion value.</summary>
    public string? Function { get; init; }

    /// <summary>Only with <see cref="Function"/>: an array is the argument list, any other value the one argument.</summary>
    public JsonElement? Arguments { get; init; }

    /// <summary>Six fields (second first) or five (second 0), for example <c>0 */15 * * * *</c>.</summary>
    public string? Cron { get; init; }

    /// <summary>The IANA time zone the expression is read in; UTC when absent.</summary>
    public string? TimeZone { get; init; }

    /// <summary>True when absent on create; on replace, absent keeps the schedule's current state.</summary>
    public bool? Enabled { get; init; }

    /// <summary>The tenant the schedule is for; operators only, on create only.</summary>
    public string? Tenant { get; init; }
}

/// <summary>A schedule as the API shows it, with its next occurrences in UTC (none while disabled).</summary>
public sealed record ScheduleResponse(
    Guid Id, string Tenant, Guid ScriptId, int? Version, string? Function, JsonElement? Arguments, string Cron,
    string TimeZone, bool Enabled, IReadOnlyList<DateTimeOffset> NextOccurrences, DateTimeOffset? LastOccurrence,
    Guid? LastJobId, DateTimeOffset UpdatedAt)
{
    /// <summary>How many occurrences ahead a schedule shows.</summary>
    public const int ShownOccurrences = 5;

    public static ScheduleResponse From(ScriptScheduleSnapshot schedule, DateTimeOffset now)
    {
        var spec = schedule.Spec;
        using var arguments = spec.ArgumentsJson is null ? null : JsonDocument.Parse(spec.ArgumentsJson);
        return new ScheduleResponse(
            schedule.Id, spec.Tenant, spec.ScriptId, spec.ScriptVersion, spec.Function, arguments?.RootElement.Clone(),
            spec.Cron, spec.TimeZone, spec.Enabled, spec.Enabled ? Upcoming(spec, now) : [],
            schedule.LastOccurrence, schedule.LastJobId, schedule.UpdatedAt);
    }

    private static List<DateTimeOffset> Upcoming(ScriptScheduleSpec spec, DateTimeOffset now)
    {
        var occurrences = new List<DateTimeOffset>(ShownOccurrences);
        if (!CronSchedule.TryParse(spec.Cron, spec.TimeZone, out var schedule, out _))
        {
            return occurrences;
        }

        var after = now;
        while (occurrences.Count < ShownOccurrences && schedule!.GetNextOccurrence(after) is { } next)
        {
            occurrences.Add(next);
            after = next;
        }

        return occurrences;
    }
}

/// <summary>What the script and schedule endpoints share: whose they are, and how listings page.</summary>
internal static class ScriptAccess
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    /// <summary>The tenant a read is scoped to: none for operators, who see every tenant's.</summary>
    public static string? ReadScope(ClaimsPrincipal user) => user.IsOperator() ? null : user.TenantOf();

    public static bool CanSee(ClaimsPrincipal user, string tenant) => user.IsOperator() || user.TenantOf() == tenant;

    /// <summary>The tenant something new is stored for: the caller's, or for operators the one they name.</summary>
    public static string? OwnerFor(ClaimsPrincipal user, string? requested, Dictionary<string, string[]> errors)
    {
        var tenant = user.TenantOf();
        if (requested is null || requested == tenant)
        {
            return tenant;
        }

        if (!user.IsOperator())
        {
            errors["tenant"] = ["a tenant key stores for its own tenant only"];
            return null;
        }

        if (!JobRequestValidator.IsValidTenant(requested))
        {
            errors["tenant"] = ["must be 1 to 100 letters, digits, '.', '_' or '-'"];
            return null;
        }

        return requested;
    }

    /// <summary>Reads <c>tenant</c>, <c>limit</c> and <c>cursor</c> of a listing.</summary>
    public static (string? Tenant, int Limit, Guid? After) PageQuery(
        ClaimsPrincipal user, string? tenant, string? limit, string? cursor, Dictionary<string, string[]> errors)
    {
        if (!user.IsOperator() && tenant is not null && tenant != user.TenantOf())
        {
            errors["tenant"] = ["a tenant key lists its own tenant's only"];
        }

        var size = DefaultPageSize;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaxPageSize}"];
        }

        Guid? after = null;
        if (cursor is not null)
        {
            after = Guid.TryParse(cursor, out var id) ? id : null;
            if (after is null)
            {
                errors["cursor"] = ["must be the nextCursor of a previous page"];
            }
        }

        return (user.IsOperator() ? tenant : user.TenantOf(), size, after);
    }

    public static string? NextCursor<T>(IReadOnlyList<T> page, int limit, Func<T, Guid> id) =>
        page.Count == limit ? id(page[^1]).ToString() : null;
}
