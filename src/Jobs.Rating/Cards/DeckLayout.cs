namespace Jobs.Rating.Cards;

/// <summary>Where each mapped column sits in the deck, resolved from the header row.</summary>
internal sealed class DeckLayout
{
    private DeckLayout(string[] header)
    {
        Header = header;
    }

    /// <summary>The header's names, as written.</summary>
    public string[] Header { get; }

    public int Prefix { get; private init; } = -1;

    public int Rate { get; private init; } = -1;

    public int Name { get; private init; } = -1;

    public int ConnectionFee { get; private init; } = -1;

    public int InitialIncrement { get; private init; } = -1;

    public int Increment { get; private init; } = -1;

    public int Billing { get; private init; } = -1;

    public int EffectiveDate { get; private init; } = -1;

    public int EndDate { get; private init; } = -1;

    public int Blocked { get; private init; } = -1;

    /// <summary>Resolves the columns, or says which mapped name the header lacks.</summary>
    public static DeckLayout? Resolve(string[] header, CardColumns columns, long line, out string? problem)
    {
        var positions = Positions(header);
        var missing = new List<string>();
        int Find(string? name, string setting) => Locate(positions, name, setting, missing);

        var layout = new DeckLayout(header)
        {
            Prefix = Find(columns.Prefix, "prefix"),
            Rate = Find(columns.Rate, "rate"),
            Name = Find(columns.Name, "name"),
            ConnectionFee = Find(columns.ConnectionFee, "connectionFee"),
            InitialIncrement = Find(columns.InitialIncrement, "initialIncrement"),
            Increment = Find(columns.Increment, "increment"),
            Billing = Find(columns.Billing, "billing"),
            EffectiveDate = Find(columns.EffectiveDate, "effectiveDate"),
            EndDate = Find(columns.EndDate, "endDate"),
            Blocked = Find(columns.Blocked, "blocked"),
        };

        problem = missing.Count == 0
            ? null
            : $"the header on line {line} ({string.Join(",", header)}) lacks {string.Join("; ", missing)}";
        return problem is null ? layout : null;
    }

    /// <summary>Which columns, by position, the card is built from.</summary>
    public bool[] Mapped()
    {
        var mapped = new bool[Header.Length];
        int[] columns = [Prefix, Rate, Name, ConnectionFee, InitialIncrement, Increment, Billing, EffectiveDate, EndDate, Blocked];
        foreach (var column in columns.Where(column => column >= 0))
        {
            mapped[column] = true;
        }

        return mapped;
    }

    /// <summary>The header name of column <paramref name="index"/>.</summary>
    public string NameOf(int index) => Header[index];

    private static Dictionary<string, int> Positions(string[] header)
    {
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            // A repeated header name means its first column, as a person reading left to right would take it.
            positions.TryAdd(header[i].Trim(), i);
        }

        return positions;
    }

    private static int Locate(Dictionary<string, int> positions, string? name, string setting, List<string> missing)
    {
        var required = setting is "prefix" or "rate";
        if (string.IsNullOrWhiteSpace(name))
        {
            if (required)
            {
                missing.Add($"columns.{setting} (required, not set)");
            }

            return -1;
        }

        if (positions.TryGetValue(name.Trim(), out var index))
        {
            return index;
        }

        missing.Add($"column '{name}' (columns.{setting})");
        return -1;
    }
}
