using System.Globalization;
using Jobs.Registry;

namespace Jobs.Api.Endpoints;

/// <summary>Parses listing query strings, naming each bad parameter.</summary>
public static class ListQuery
{
    public static JobQuery? Parse(
        string? type, string? status, string? from, string? to, string? limit, string? cursor, string? sort,
        Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(type) || !JobType.IsKnown(type))
        {
            errors["type"] = ["is required: one of " + string.Join(", ", JobType.All)];
        }

        JobStatus? parsedStatus = null;
        if (status is not null)
        {
            if (JobStatuses.TryParse(status, out var s))
            {
                parsedStatus = s;
            }
            else
            {
                errors["status"] = ["must be one of wait, delayed, active, completed, failed"];
            }
        }

        var fromTime = ParseTime(from, "from", errors);
        var toTime = ParseTime(to, "to", errors);
        if (fromTime is not null && toTime is not null && toTime <= fromTime)
        {
            errors["to"] = ["must be after from"];
        }

        var size = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 500))
        {
            errors["limit"] = ["must be a whole number from 1 to 500"];
        }

        var order = ParseSort(sort, parsedStatus, errors);
        if (cursor is not null)
        {
            if (!JobCursor.TryDecode(cursor, out var cursorSort, out _, out _))
            {
                errors["cursor"] = ["is not a cursor this API returned"];
            }
            else if (order is { } o && cursorSort != o)
            {
                errors["cursor"] = [$"belongs to sort={cursorSort.ToId()}; start again without a cursor to change the order"];
            }
        }

        return errors.Count > 0
            ? null
            : new JobQuery
            {
                Status = parsedStatus, From = fromTime, To = toTime, Limit = size, Cursor = cursor, Sort = order!.Value,
            };
    }

    /// <summary>The order, or null with the reason in <paramref name="errors"/>.</summary>
    private static JobSort? ParseSort(string? sort, JobStatus? status, Dictionary<string, string[]> errors)
    {
        if (sort is null)
        {
            return JobSort.CreatedDesc;
        }

        if (!JobSorts.TryParse(sort, out var order))
        {
            errors["sort"] = ["must be one of " + string.Join(", ", JobSorts.All.Select(s => s.ToId()))];
            return null;
        }

        if (order.ByFinishTime() && status is not (JobStatus.Completed or JobStatus.Failed))
        {
            errors["sort"] = [$"{sort} needs status=completed or status=failed: only finished jobs have a finish time"];
            return null;
        }

        return order;
    }

    private static DateTimeOffset? ParseTime(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        errors[name] = ["must be an ISO 8601 time, for example 2026-12-03T10:00:00Z"];
        return null;
    }
}
