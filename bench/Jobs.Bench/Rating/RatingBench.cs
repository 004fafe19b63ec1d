using System.Diagnostics;
using System.Globalization;
using System.Text;
using Jobs.Rating;
using Jobs.Rating.Cards;
using Jobs.Rating.Cdrs;

namespace Jobs.Bench.Rating;

/// <summary>
/// The rating engine's figures, all in memory: deck build, pre-parsed rating per core, and stream
/// parse + rate + write over generated calls, single core and in two parallel partitions.
/// Usage: rating [--calls N] [--data DIR]
/// </summary>
internal static class RatingBench
{
    private const int PreparsedCalls = 2_000_000;
    private const int PreparsedRounds = 5;
    private const int SingleCoreCalls = 2_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var calls = Option(args, "--calls", 10_000_000L);
        var data = args.SkipWhile(arg => arg != "--data").Skip(1).FirstOrDefault() ?? FindData();
        var deckPath = data is null ? null : Path.Combine(data, "rates", "us-npanxx-deck.csv");
        var numbersPath = data is null ? null : Path.Combine(data, "cdrs", "dialed-numbers.csv");

        var deck = File.Exists(deckPath) ? await BuildDeckAsync(deckPath) : Skipped<RateCard>("deck", deckPath);
        if (!File.Exists(numbersPath))
        {
            var missing = numbersPath ?? "shared/data/cdrs/dialed-numbers.csv";
            Console.Error.WriteLine($"rating: {missing} is absent; skipping call rating figures");
            return 0;
        }

        // The real list holds one non-number ("+c2c"); the bench keeps E.164 digits only.
        var numbers = File.ReadLines(numbersPath).Select(line => line.Trim())
            .Where(line => line.Length > 0 && line.All(char.IsAsciiDigit))
            .ToArray();
        var card = BenchCard.Create(deck, numbers);
        Report.Figure("rating.card_entries", card.Entries.Count, "entries");

        RatePreparsed(card, numbers);
        await GenerateOnlyAsync(numbers, SingleCoreCalls);
        await RateStreamAsync(card, numbers, SingleCoreCalls, partitions: 1, "rating.stream_1core");
        await RateStreamAsync(card, numbers, calls, partitions: 2, "rating.stream_2cores");
        ReportMemory();
        return 0;
    }

    private static async Task<RateCard> BuildDeckAsync(string path)
    {
        var settings = new CardSettings
        {
            Name = "US NPANXX",
            Currency = "USD",
            PrefixPrepend = "1",
            Columns = new CardColumns { Prefix = "NPANXX", Rate = "Rate" },
            Defaults = new CardDefaults { InitialIncrement = 6, Increment = 6 },
        };

        CardBuildResult? result = null;
        var best = TimeSpan.MaxValue;
        var bestCpu = TimeSpan.MaxValue;
        using var process = Process.GetCurrentProcess();
        for (var round = 0; round < 3; round++)
        {
            // CPU time beside wall time: on a shared machine the wall clock also counts other people's work.
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await using var deck = File.OpenRead(path);
            result = await CardBuilder.BuildAsync(deck, settings);
            _ = result.Card!.Rater;
            best = watch.Elapsed < best ? watch.Elapsed : best;
            process.Refresh();
            bestCpu = process.TotalProcessorTime - cpu < bestCpu ? process.TotalProcessorTime - cpu : bestCpu;
        }

        Report.Figure("rating.deck_rows", result!.Counts.RowsRead, "rows");
        Report.Figure("rating.deck_build_ms", best.TotalMilliseconds, "ms");
        Report.Figure("rating.deck_build_cpu_ms", bestCpu.TotalMilliseconds, "ms");
        Report.Figure("rating.deck_rows_per_s", result.Counts.RowsRead / best.TotalSeconds, "rows/s");
        return result.Card!;
    }

    private static void RatePreparsed(RateCard card, string[] numbers)
    {
        var calls = PreparsedCall.Generate(numbers, PreparsedCalls, seed: 7);
        var rater = card.Rater;
        long units = RateAll(rater, calls);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var round = 0; round < PreparsedRounds; round++)
        {
            units += RateAll(rater, calls);
        }

        watch.Stop();
        var rated = (double)calls.Length * PreparsedRounds;
        Report.Figure("rating.rate_calls_per_s_1core", rated / watch.Elapsed.TotalSeconds, "calls/s");
        Report.Figure("rating.rate_alloc_bytes_per_call", (GC.GetAllocatedBytesForCurrentThread() - allocated) / rated, "bytes");
        GC.KeepAlive(units);
    }

    private static long RateAll(CardRater rater, PreparsedCall[] calls)
    {
        long units = 0;
        foreach (var call in calls)
        {
            units += rater.Rate(call.Number, new DateTime(call.Ticks), call.Seconds).ChargeUnits;
        }

        return units;
    }

    /// <summary>What making the input costs alone, to tell it apart from the rating in the stream figures.</summary>
    private static async Task GenerateOnlyAsync(string[] numbers, long calls)
    {
        var input = new GeneratedCdrStream(numbers, calls, seed: 100);
        var watch = Stopwatch.StartNew();
        await input.CopyToAsync(new CountingStream());
        Report.Figure("rating.generator_calls_per_s", calls / watch.Elapsed.TotalSeconds, "calls/s");
    }

    private static async Task RateStreamAsync(RateCard card, string[] numbers, long calls, int partitions, string name)
    {
        var rerater = new CdrRerater(card, new CdrSettings { Format = CdrFormat.AsteriskMaster });
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();

        // Each partition is a worker with its own input and output, as on separate machines; summaries add up.
        var parts = await Task.WhenAll(Enumerable.Range(0, partitions).Select(index => Task.Run(async () =>
        {
            var share = (calls / partitions) + (index < calls % partitions ? 1 : 0);
            var input = new GeneratedCdrStream(numbers, share, seed: 100 + index);
            var output = new CountingStream();
            var summary = await rerater.RateAsync(input, output);
            return (Summary: summary, Bytes: input.Position, Written: output.Written);
        })));

        watch.Stop();
        var perCall = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)calls;
        var total = CdrSummary.Sum(parts.Select(part => part.Summary));
        Report.Figure($"{name}_calls", total.Records, "calls");
        Report.Figure($"{name}_seconds", watch.Elapsed.TotalSeconds, "s");
        Report.Figure($"{name}_calls_per_s", total.Records / watch.Elapsed.TotalSeconds, "calls/s");
        Report.Figure($"{name}_input_mb", parts.Sum(part => part.Bytes) / 1e6, "MB");
        Report.Figure($"{name}_rated_share", (double)total.Rated / total.Records, "ratio");
        Report.Figure($"{name}_output_mb", parts.Sum(part => part.Written) / 1e6, "MB");
        Report.Figure($"{name}_alloc_bytes_per_call", perCall, "bytes");
        Report.Figure($"{name}_gc_heap_mb", GC.GetGCMemoryInfo().HeapSizeBytes / 1e6, "MB");
    }

    private static void ReportMemory()
    {
        using var process = Process.GetCurrentProcess();
        Report.Figure("rating.peak_working_set_mb", process.PeakWorkingSet64 / 1e6, "MB");
        Report.Figure("rating.gc_total_allocated_mb", GC.GetTotalAllocatedBytes() / 1e6, "MB");
        Report.Figure("rating.gc_collections_gen2", GC.CollectionCount(2), "collections");
    }

    private static T? Skipped<T>(string what, string? path)
        where T : class
    {
        Console.Error.WriteLine($"rating: {path ?? what} is absent; skipping the {what} figures");
        return null;
    }

    private static long Option(string[] args, string name, long fallback)
    {
        var value = args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault();
        return value is null ? fallback : long.Parse(value, CultureInfo.InvariantCulture);
    }

    private static string? FindData()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A call already parsed: E.164 digits, start and answered seconds.</summary>
    private readonly record struct PreparsedCall(byte[] Number, long Ticks, int Seconds)
    {
        public static PreparsedCall[] Generate(string[] numbers, int count, int seed)
        {
            var random = new Random(seed);
            var start = new DateTime(2026, 1, 1).Ticks;
            var encoded = numbers.Select(Encoding.ASCII.GetBytes).ToArray();
            return [.. Enumerable.Range(0, count).Select(_ => new PreparsedCall(
                encoded[random.Next(encoded.Length)],
                start + (random.NextInt64(365L * 24 * 3600) * TimeSpan.TicksPerSecond),
                1 + (int)(-90 * Math.Log(1 - random.NextDouble()))))];
        }
    }
}
