using System.Globalization;

namespace Jobs.Bench.Engine;

/// <summary>The engine benchmark's command line: <c>--name value</c> pairs, as bench/run-engine.sh passes them.</summary>
internal sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchOptions(string[] args)
    {
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            _values[args[i].TrimStart('-')] = args[i + 1];
        }
    }

    /// <summary>The database the cluster runs on (Npgsql connection string).</summary>
    public string Database => Required("pg");

    /// <summary>The API's base address, e.g. http://127.0.0.1:24080.</summary>
    public Uri Api => new(Required("api"));

    public string Key => Required("key");

    public int ApiPid => Int("api-pid", 0);

    public int PostgresPid => Int("pg-pid", 0);

    /// <summary>Jobs per throughput phase (the peers use 20,000).</summary>
    public int Jobs => Int("n", 20_000);

    public int Producers => Int("producers", 8);

    public int ListingRows => Int("listing-rows", 1_000_000);

    /// <summary>The silo host, for the recovery measurement; empty skips it.</summary>
    public string? SiloDll => _values.GetValueOrDefault("silo-dll");

    public string Sections => _values.GetValueOrDefault("sections", "all");

    public bool Runs(string section) => Sections == "all" || Sections.Split(',').Contains(section, StringComparer.Ordinal);

    private string Required(string name) => _values.TryGetValue(name, out var value)
        ? value
        : throw new ArgumentException($"--{name} is required");

    private int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
