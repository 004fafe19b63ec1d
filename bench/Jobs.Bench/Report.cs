using System.Globalization;

namespace Jobs.Bench;

/// <summary>Prints one figure per line, as "name value unit", so runs can be compared with the peers' output.</summary>
internal static class Report
{
    public static void Figure(string name, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###} {unit}"));
}
