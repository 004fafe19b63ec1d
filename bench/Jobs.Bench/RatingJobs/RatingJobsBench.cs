using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Jobs.Bench.Rating;
using Jobs.JobTypes.Rating;
using Jobs.Rating.Cards;

namespace Jobs.Bench.RatingJobs;

/// <summary>
/// The card and cdr job types end to end, through the real job path: a silo in this process on PostgreSQL. The real
/// US deck is uploaded and built by a card job; then N generated Master.csv calls (numbers drawn from the real
/// dialed numbers) are uploaded, and a cdr job keeps them, rates them in partitions and joins the output into one
/// stored file. Memory is sampled while the re-rate runs.
/// Usage: rating-jobs [--calls N] [--partitions P] [--partitions-per-silo S] [--keep-calls true|false] [--sections deck,cdr] [--data DIR]
/// [--pg ADMIN_CONNECTION_STRING] [--toast lz4|pglz]
/// </summary>
internal static class RatingJobsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        var deckPath = options.Data is null ? null : Path.Combine(options.Data, "rates", "us-npanxx-deck.csv");
        var numbersPath = options.Data is null ? null : Path.Combine(options.Data, "cdrs", "dialed-numbers.csv");
        if (!File.Exists(deckPath) || !File.Exists(numbersPath))
        {
            Console.Error.WriteLine("rating-jobs: shared/data (us-npanxx-deck.csv, dialed-numbers.csv) is absent; nothing to measure");
            return 0;
        }

        var machine = MachineLoad.Read();
        Report.Figure("rating_jobs.loadavg_1m_before", machine.LoadAverage, "load");
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Jobs:Engine:ProgressInterval"] = "00:00:00.250",
        };
        if (options.PartitionsPerSilo is { } perSilo)
        {
            settings["Jobs:Rating:PartitionsPerSilo"] = perSilo.ToString(CultureInfo.InvariantCulture);
        }

        await using var cluster = await BenchCluster.StartAsync(options.Postgres, options.Toast, settings);

        if (options.Runs("deck"))
        {
            // The first build in a fresh process also pays for compiling the code it runs; the second is the steady state.
            await BuildDeckAsync(cluster, deckPath, "rating_jobs.deck_cold");
            await BuildDeckAsync(cluster, deckPath, "rating_jobs.deck");
        }

        if (options.Runs("cdr"))
        {
            await RerateAsync(cluster, options, deckPath, numbersPath);
        }

        using var process = Process.GetCurrentProcess();
        Report.Figure("rating_jobs.peak_working_set_mb", process.PeakWorkingSet64 / 1e6, "MB");
        Report.Figure("rating_jobs.loadavg_1m_after", MachineLoad.Read().LoadAverage, "load");
        return 0;
    }

    private static async Task BuildDeckAsync(BenchCluster cluster, string deckPath, string name)
    {
        var watch = Stopwatch.StartNew();
        Guid fileId;
        await using (var deck = File.OpenRead(deckPath))
        {
            fileId = (await cluster.Files.SaveAsync(BenchCluster.Tenant, "us-npanxx-deck.csv", "text/csv", deck, default)).Id;
        }

        var uploaded = watch.Elapsed;
        var payload = JsonSerializer.Serialize(new
        {
            fileId, name = "us-npanxx", currency = "USD", columns = new { prefix = "NPANXX", rate = "Rate" }, prefixPrepend = "1",
            defaults = new { initialIncrement = 6, increment = 6 },
        });
        var cpu = MachineLoad.Read();
        var spent = CpuTime.Read(cluster.Database);
        var job = await cluster.RunAsync("card", payload);
        var busy = MachineLoad.Read().BusyCoresSince(cpu);
        spent = CpuTime.Read(cluster.Database).Since(spent);

        foreach (var line in job.Logs)
        {
            Console.Error.WriteLine($"{name}: {line.Message}");
        }

        var rows = JsonDocument.Parse(job.Result!).RootElement.GetProperty("rows").GetInt64();
        var run = job.RunTime!.Value;
        Report.Figure($"{name}_rows", rows, "rows");
        Report.Figure($"{name}_upload_ms", uploaded.TotalMilliseconds, "ms");
        Report.Figure($"{name}_job_ms", run.TotalMilliseconds, "ms");
        Report.Figure($"{name}_created_to_completed_ms", (job.FinishedAt!.Value - job.CreatedAt).TotalMilliseconds, "ms");
        Report.Figure($"{name}_rows_per_s", rows / run.TotalSeconds, "rows/s");
        Report.Figure($"{name}_machine_busy_cores", busy, "cores");
        Report.Figure($"{name}_cpu_silo_s", spent.Process, "s");
        Report.Figure($"{name}_cpu_postgres_s", spent.Postgres, "s");
    }

    private static async Task RerateAsync(BenchCluster cluster, Options options, string deckPath, string numbersPath)
    {
        var numbers = File.ReadLines(numbersPath).Select(line => line.Trim())
            .Where(line => line.Length > 0 && line.All(char.IsAsciiDigit)).ToArray();
        var cardId = await StoreBenchCardAsync(cluster, deckPath, numbers);

        var uploadCpu = CpuTime.Read(cluster.Database);
        var watch = Stopwatch.StartNew();
        var input = new GeneratedCdrStream(numbers, options.Calls, seed: 100);
        var file = await cluster.Files.SaveAsync(BenchCluster.Tenant, "Master.csv", "text/csv", input, default);
        var uploaded = watch.Elapsed;
        Report.Figure("rating_jobs.cdr_calls", options.Calls, "calls");
        Report.Figure("rating_jobs.cdr_input_mb", file.Length / 1e6, "MB");
        Report.Figure("rating_jobs.cdr_upload_s", uploaded.TotalSeconds, "s");
        ReportCpu("rating_jobs.cdr_upload", CpuTime.Read(cluster.Database).Since(uploadCpu), options.Calls);

        var payload = JsonSerializer.Serialize(new
        {
            cardId, partitions = options.Partitions, keepCalls = options.KeepCalls,
            source = new { fileId = file.Id, format = "asterisk-master" },
        });
        var memory = new MemorySampler();
        var phases = new PhaseClock(cluster.Database);
        var cpu = MachineLoad.Read();
        var spent = CpuTime.Read(cluster.Database);
        var allocated = GC.GetTotalAllocatedBytes();
        var collections = GC.CollectionCount(0);
        var job = await cluster.RunAsync("cdr", payload, snapshot =>
        {
            memory.Sample();
            phases.Observe(snapshot.Progress.Message);
        });
        var busy = MachineLoad.Read().BusyCoresSince(cpu);
        ReportCpu("rating_jobs.cdr_job", CpuTime.Read(cluster.Database).Since(spent), options.Calls);
        var perCall = (GC.GetTotalAllocatedBytes() - allocated) / (double)options.Calls;
        Report.Figure("rating_jobs.cdr_job_alloc_bytes_per_call", perCall, "bytes");
        Report.Figure("rating_jobs.cdr_job_gen0_collections", GC.CollectionCount(0) - collections, "collections");
        phases.Observe("done");
        phases.Report("rating_jobs.cdr_phase", options.Calls);

        foreach (var line in job.Logs)
        {
            Console.Error.WriteLine($"rating_jobs.cdr: {line.Message}");
        }

        var result = JsonDocument.Parse(job.Result!).RootElement;
        var run = job.RunTime!.Value;
        var output = await cluster.Files.GetAsync(result.GetProperty("outputFileId").GetGuid(), BenchCluster.Tenant, default);
        Report.Figure("rating_jobs.cdr_records", result.GetProperty("records").GetInt64(), "calls");
        Report.Figure("rating_jobs.cdr_rated_share", result.GetProperty("rated").GetDouble() / options.Calls, "ratio");
        Report.Figure("rating_jobs.cdr_partitions", result.GetProperty("partitions").GetInt32(), "partitions");
        Report.Figure("rating_jobs.cdr_job_s", run.TotalSeconds, "s");
        Report.Figure("rating_jobs.cdr_job_calls_per_s", options.Calls / run.TotalSeconds, "calls/s");
        Report.Figure("rating_jobs.cdr_end_to_end_s", (uploaded + run).TotalSeconds, "s");
        Report.Figure("rating_jobs.cdr_end_to_end_calls_per_s", options.Calls / (uploaded + run).TotalSeconds, "calls/s");
        Report.Figure("rating_jobs.cdr_output_mb", output!.Length / 1e6, "MB");
        Report.Figure("rating_jobs.cdr_machine_busy_cores", busy, "cores");
        Report.Figure("rating_jobs.cdr_max_working_set_mb", memory.MaxWorkingSet / 1e6, "MB");
        Report.Figure("rating_jobs.cdr_max_gc_heap_mb", memory.MaxHeap / 1e6, "MB");
    }

    /// <summary>CPU seconds of the silo process and of PostgreSQL, and their sum per million calls.</summary>
    private static void ReportCpu(string name, CpuTime spent, long calls)
    {
        Report.Figure($"{name}_cpu_silo_s", spent.Process, "s");
        Report.Figure($"{name}_cpu_postgres_s", spent.Postgres, "s");
        Report.Figure($"{name}_cpu_s_per_million_calls", (spent.Process + spent.Postgres) * 1e6 / calls, "s");
    }

    /// <summary>The rating bench's card (US deck, the dialed countries, a US catch-all) stored as a card revision.</summary>
    private static async Task<Guid> StoreBenchCardAsync(BenchCluster cluster, string deckPath, string[] numbers)
    {
        await using var deck = File.OpenRead(deckPath);
        var built = await CardBuilder.BuildAsync(deck, new CardSettings
        {
            Name = "us-npanxx", Currency = "USD", PrefixPrepend = "1",
            Columns = new CardColumns { Prefix = "NPANXX", Rate = "Rate" },
            Defaults = new CardDefaults { InitialIncrement = 6, Increment = 6 },
        });
        var card = BenchCard.Create(built.Card, numbers);
        var watch = Stopwatch.StartNew();
        var revision = await cluster.Cards.SaveAsync(
            new NewRevision(Guid.CreateVersion7(), BenchCluster.Tenant, card, 0, 0, null, "{}"), default);
        Report.Figure("rating_jobs.card_save_entries", card.Entries.Count, "entries");
        Report.Figure("rating_jobs.card_save_ms", watch.Elapsed.TotalMilliseconds, "ms");
        return revision.CardId;
    }

    private sealed record Options(
        long Calls,
        int? Partitions,
        int? PartitionsPerSilo,
        bool KeepCalls,
        string Sections,
        string? Data,
        string? Postgres,
        string? Toast)
    {
        public static Options Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault();
            return new Options(
                long.Parse(Value("--calls") ?? "10000000", CultureInfo.InvariantCulture),
                Value("--partitions") is { } partitions ? int.Parse(partitions, CultureInfo.InvariantCulture) : null,
                Value("--partitions-per-silo") is { } perSilo ? int.Parse(perSilo, CultureInfo.InvariantCulture) : null,
                bool.Parse(Value("--keep-calls") ?? "true"),
                Value("--sections") ?? "deck,cdr",
                Value("--data") ?? SharedData(),
                Value("--pg"),
                Value("--toast"));
        }

        public bool Runs(string section) => Sections.Split(',').Contains(section, StringComparer.Ordinal);

        private static string? SharedData()
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
    }

    /// <summary>
    /// Wall and CPU time of the re-rate's phases (planning, partitions, joining the output), told apart by the job's
    /// progress message, as seen by polling every 100 ms.
    /// </summary>
    private sealed class PhaseClock(string database)
    {
        private readonly List<(string Phase, TimeSpan At, CpuTime Cpu)> _marks = [];
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public void Observe(string? message)
        {
            var phase = message switch
            {
                null or "planning" => "plan",
                "joining the output" => "join",
                "done" => "done",
                _ => "partitions",
            };
            if (_marks.Count == 0 || _marks[^1].Phase != phase)
            {
                _marks.Add((phase, _watch.Elapsed, CpuTime.Read(database)));
            }
        }

        public void Report(string name, long calls)
        {
            for (var i = 0; i + 1 < _marks.Count; i++)
            {
                var (phase, at, cpu) = _marks[i];
                var spent = _marks[i + 1].Cpu.Since(cpu);
                Jobs.Bench.Report.Figure($"{name}_{phase}_s", (_marks[i + 1].At - at).TotalSeconds, "s");
                Jobs.Bench.Report.Figure($"{name}_{phase}_cpu_silo_s", spent.Process, "s");
                Jobs.Bench.Report.Figure($"{name}_{phase}_cpu_postgres_s", spent.Postgres, "s");
            }
        }
    }

    /// <summary>This process's largest working set and managed heap seen while sampling.</summary>
    private sealed class MemorySampler
    {
        private readonly Process _process = Process.GetCurrentProcess();

        public long MaxWorkingSet { get; private set; }

        public long MaxHeap { get; private set; }

        public void Sample()
        {
            _process.Refresh();
            MaxWorkingSet = Math.Max(MaxWorkingSet, _process.WorkingSet64);
            MaxHeap = Math.Max(MaxHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
        }
    }
}
