namespace Jobs.Rating.Cdrs;

/// <summary>Positions of the fields a re-rate uses, for Master.csv or from a header row.</summary>
internal sealed record CdrLayout(int Destination, int BilledSeconds, int Disposition, int Start, int CallId)
{
    /// <summary>
    /// Master.csv: dst 2, start 9, billsec 13, disposition 14, uniqueid 16 (written only with loguniqueid on;
    /// a row without it has no call id).
    /// </summary>
    public static CdrLayout AsteriskMaster { get; } = new(Destination: 2, BilledSeconds: 13, Disposition: 14, Start: 9, CallId: 16);

    /// <summary>Fields a row must have: all but the optional call id.</summary>
    public int RequiredFields { get; } = Math.Max(Math.Max(Destination, BilledSeconds), Math.Max(Disposition, Start)) + 1;

    /// <summary>Resolves a header row through the mapping; throws when a mapped name is missing.</summary>
    public static CdrLayout FromHeader(string[] header, CdrColumns columns)
    {
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            positions.TryAdd(header[i].Trim(), i);
        }

        int Find(string? name, string setting, bool required)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return required ? throw Missing($"columns.{setting} is required") : -1;
            }

            return positions.TryGetValue(name.Trim(), out var index)
                ? index
                : throw Missing($"column '{name}' (columns.{setting}) is not in the header ({string.Join(",", header)})");
        }

        return new CdrLayout(
            Find(columns.Destination, "destination", required: true),
            Find(columns.BilledSeconds, "billedSeconds", required: true),
            Find(columns.Disposition, "disposition", required: false),
            Find(columns.Start, "start", required: false),
            Find(columns.CallId, "callId", required: false));
    }

    private static InvalidDataException Missing(string what) => new($"Call records cannot be read: {what}.");
}
