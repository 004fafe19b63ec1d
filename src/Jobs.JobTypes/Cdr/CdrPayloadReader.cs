using System.Text.Json;
using Jobs.Handlers;
using Jobs.JobTypes.Rating;
using Jobs.Rating.Cdrs;

namespace Jobs.JobTypes.Cdr;

/// <summary>A cdr payload, read and checked.</summary>
/// <param name="Revision">The card revision every call is rated by; null for the one in force at each call's start.</param>
/// <param name="TimeZone">The zone call times are written in, to compare them with revisions' completion times.</param>
/// <param name="Partitions">How many partitions to split the work into; null to decide from the input's size.</param>
/// <param name="FileId">The call records' file, or null for stored calls.</param>
/// <param name="Stored">The stored calls to re-rate, or null for a file.</param>
/// <param name="KeepCalls">Whether a file's calls are kept in PostgreSQL for later re-rates.</param>
internal sealed record CdrRequest(
    Guid CardId,
    int? Revision,
    TimeZoneInfo TimeZone,
    int? Partitions,
    CdrSettings Settings,
    Guid? FileId,
    StoredCalls? Stored,
    bool KeepCalls);

/// <summary>A tenant's stored calls that started in [From, To), wall-clock as written.</summary>
internal sealed record StoredCalls(string? Tenant, DateTime From, DateTime To);

/// <summary>Reads a cdr payload (see <see cref="CdrHandler"/>), recording every problem at the path of its field.</summary>
internal static class CdrPayloadReader
{
    public const int MaxPartitions = 1_024;

    private static readonly string[] Fields =
        ["cardId", "revision", "countryCode", "numberPlan", "timeZone", "partitions", "keepCalls", "source"];

    private static readonly string[] FileSourceFields = ["fileId", "format", "columns", "defaultStart"];
    private static readonly string[] PlanFields = ["nationalNumberLength", "internationalPrefixes", "trunkPrefix", "bareNumbersAreE164"];
    private static readonly string[] ColumnFields = ["destination", "billedSeconds", "disposition", "start", "callId"];
    private static readonly string[] Formats = ["asterisk-master", "csv"];

    /// <summary>The request, or null when <paramref name="validation"/> received at least one problem.</summary>
    public static CdrRequest? Read(JsonElement payload, PayloadValidation validation)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            validation.Add("", "must be a JSON object");
            return null;
        }

        var fields = new PayloadFields(payload, "", validation);
        fields.RefuseUnknown(Fields, "a cdr payload");
        var cardId = fields.Id("cardId", required: true);
        var revision = (int?)fields.Integer("revision", 1, int.MaxValue);
        var plan = ReadNumberPlan(fields);
        var zone = ReadTimeZone(fields);
        var partitions = (int?)fields.Integer("partitions", 1, MaxPartitions);
        var keep = fields.Boolean("keepCalls");
        var source = fields.Object("source", required: true);
        if (source is null || cardId is null || plan is null || zone is null)
        {
            return null;
        }

        if (source.Has("stored"))
        {
            source.RefuseUnknown(["stored"], "a stored source");
            if (keep is not null)
            {
                fields.Problem("keepCalls", "is for a file source only: stored calls are kept already");
            }

            var stored = source.Object("stored") is { } given ? ReadStored(given) : null;
            return validation.IsValid && stored is not null
                ? new CdrRequest(cardId.Value, revision, zone, partitions, new CdrSettings { NumberPlan = plan }, null, stored, false)
                : null;
        }

        source.RefuseUnknown(FileSourceFields, "a file source (or use stored)");
        var fileId = source.Id("fileId", required: true);
        var settings = ReadFileSettings(source, plan);
        return validation.IsValid && fileId is not null && settings is not null
            ? new CdrRequest(cardId.Value, revision, zone, partitions, settings, fileId, null, keep ?? true)
            : null;
    }

    private static NumberPlan? ReadNumberPlan(PayloadFields fields)
    {
        var countryCode = fields.String("countryCode", 3);
        if (countryCode is not null && !countryCode.All(char.IsAsciiDigit))
        {
            fields.Problem("countryCode", "must be 1 to 3 digits, such as 1 or 44");
        }

        var plan = new NumberPlan { CountryCode = countryCode ?? "1" };
        if (fields.Object("numberPlan") is not { } given)
        {
            return fields.Validation.IsValid ? plan : null;
        }

        given.RefuseUnknown(PlanFields, "numberPlan");
        var length = given.Integer("nationalNumberLength", 4, 14);
        var trunk = given.String("trunkPrefix", 3);
        if (trunk is not null && !trunk.All(char.IsAsciiDigit))
        {
            given.Problem("trunkPrefix", "must be digits, such as 0");
        }

        var prefixes = ReadInternationalPrefixes(given);
        return fields.Validation.IsValid
            ? plan with
            {
                NationalNumberLength = (int?)length ?? plan.NationalNumberLength,
                TrunkPrefix = trunk,
                InternationalPrefixes = prefixes ?? plan.InternationalPrefixes,
                BareNumbersAreE164 = given.Boolean("bareNumbersAreE164") ?? false,
            }
            : null;
    }

    private static List<string>? ReadInternationalPrefixes(PayloadFields plan)
    {
        if (plan.Array("internationalPrefixes", 0, 8) is not { } items)
        {
            return null;
        }

        var prefixes = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var text = items[i].ValueKind == JsonValueKind.String ? items[i].GetString() : null;
            if (text is not { Length: > 0 and <= 4 } || !text.All(char.IsAsciiDigit))
            {
                plan.Problem($"internationalPrefixes[{i}]", "must be 1 to 4 digits, such as 011");
                continue;
            }

            prefixes.Add(text);
        }

        return prefixes;
    }

    private static TimeZoneInfo? ReadTimeZone(PayloadFields fields)
    {
        if (fields.String("timeZone", 64) is not { } id)
        {
            return fields.Has("timeZone") ? null : TimeZoneInfo.Utc;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        fields.Problem("timeZone", "must be an IANA time zone such as America/New_York or UTC");
        return null;
    }

    private static CdrSettings? ReadFileSettings(PayloadFields source, NumberPlan plan)
    {
        var format = source.Choice("format", Formats, required: true);
        var defaultStart = source.Time("defaultStart");
        var columns = source.Object("columns");
        if (format == "asterisk-master" && columns is not null)
        {
            source.Problem("columns", "is for the csv format only: Master.csv has fixed columns");
            return null;
        }

        if (format == "csv" && columns is null && !source.Has("columns"))
        {
            source.Problem("columns", "is required for the csv format: which header names hold destination and billedSeconds");
            return null;
        }

        var mapping = columns is null ? null : ReadColumns(columns);
        if (format is null || !source.Validation.IsValid)
        {
            return null;
        }

        if (mapping is not null && mapping.Start is null && defaultStart is null)
        {
            source.Problem("columns.start", "is required unless defaultStart says when the calls were made");
            return null;
        }

        return new CdrSettings
        {
            Format = format == "csv" ? CdrFormat.Csv : CdrFormat.AsteriskMaster,
            Columns = mapping,
            NumberPlan = plan,
            DefaultStart = defaultStart,
        };
    }

    private static CdrColumns ReadColumns(PayloadFields columns)
    {
        columns.RefuseUnknown(ColumnFields, "columns");
        return new CdrColumns
        {
            Destination = columns.String("destination", 200, required: true),
            BilledSeconds = columns.String("billedSeconds", 200, required: true),
            Disposition = columns.String("disposition", 200),
            Start = columns.String("start", 200),
            CallId = columns.String("callId", 200),
        };
    }

    private static StoredCalls? ReadStored(PayloadFields stored)
    {
        stored.RefuseUnknown(["tenant", "from", "to"], "stored");
        var tenant = stored.String("tenant", 100);
        var from = stored.Time("from", required: true);
        var to = stored.Time("to", required: true);
        if (from is not { } start || to is not { } end)
        {
            return null;
        }

        if (end <= start)
        {
            stored.Problem("to", "must be after from");
            return null;
        }

        return new StoredCalls(tenant, start, end);
    }
}
