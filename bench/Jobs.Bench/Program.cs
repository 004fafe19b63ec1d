// Runs one benchmark suite by name and prints its figures as "name value unit" lines.
// Usage: dotnet run -c Release --project bench/Jobs.Bench -- <suite> [options]
using Jobs.Bench;

var suites = BenchSuites.All;
if (args.Length == 0 || !suites.TryGetValue(args[0], out var suite))
{
    Console.Error.WriteLine("usage: Jobs.Bench <suite> [options]");
    Console.Error.WriteLine("suites: " + string.Join(", ", suites.Keys.Order()));
    return 2;
}

return await suite(args[1..]);
