using CsvHelper;
using Jobs.Rating.Text;

namespace Jobs.Rating.Cdrs;

/// <summary>
/// Re-rates call records against a rate card, or against the revisions of a card each in force for a time: reads a
/// CSV stream, writes one output row per record and returns the summary. Memory stays flat whatever the number of
/// calls; safe to use from several threads at once.
/// </summary>
public sealed class CdrRerater
{
    /// <summary>Records between progress reports and cancellation checks.</summary>
    private const int ReportEvery = 65_536;

    private readonly CardTimeline _timeline;
    private readonly CdrSettings _settings;

    /// <summary>Prepares re-rating with <paramref name="card"/>; throws when the settings cannot work.</summary>
    public CdrRerater(RateCard card, CdrSettings settings)
        : this(CardTimeline.Of(card), settings)
    {
    }

    /// <summary>
    /// Prepares re-rating each call with the revision in force at its start; throws when the settings cannot work.
    /// </summary>
    public CdrRerater(CardTimeline timeline, CdrSettings settings)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Format == CdrFormat.Csv && settings.Columns is null)
        {
            throw new ArgumentException("A CSV with a header needs its columns mapped.", nameof(settings));
        }

        // Built here only to fail fast on a bad number plan; each run makes its own.
        _ = new NumberNormalizer(settings.NumberPlan);
        _timeline = timeline;
        _settings = settings;
    }

    /// <summary>
    /// Rates <paramref name="input"/> (all of it, or the partition in <paramref name="options"/>, which needs a
    /// seekable stream) and writes the output CSV to <paramref name="output"/>. Bad rows are reported, not thrown;
    /// a header lacking a mapped column throws <see cref="InvalidDataException"/>.
    /// </summary>
    public async Task<CdrSummary> RateAsync(
        Stream input,
        Stream output,
        CdrRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new CdrRunOptions();

        var partition = options.Partition;
        var layout = await PartitionLayoutAsync(input, partition, cancellationToken);
        var source = partition is null ? input : new SliceStream(input, partition.StartByte, partition.EndByte);
        var total = partition is null ? (input.CanSeek ? input.Length - input.Position : (long?)null) : source.Length;

        await using var reader = CsvReader.Create(source, CsvInput.Options(), leaveOpen: true);
        await using var writer = CsvWriter.Create(output, CdrOutput.Options(), leaveOpen: true);
        if (options.WriteHeader ?? (partition is null || partition.Index == 0))
        {
            writer.WriteHeader(CdrOutput.Header);
        }

        var run = new Run(this, options, layout, (partition?.FirstLine ?? options.FirstLine ?? 1) - 1);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (run.Take(reader, writer))
            {
                await writer.EndRecordAsync(cancellationToken);
            }

            if (run.Tally.Records % ReportEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                options.Progress?.Report(new ReadProgress(run.Tally.Records, reader.ByteOffset, total));
            }
        }

        await writer.FlushAsync(cancellationToken);
        options.Progress?.Report(new ReadProgress(run.Tally.Records, total ?? reader.ByteOffset, total));
        return run.Tally.Summary();
    }

    /// <summary>A partition of a headed CSV reads its header from the start of the file first.</summary>
    private async Task<CdrLayout?> PartitionLayoutAsync(Stream input, CdrPartition? partition, CancellationToken cancellationToken)
    {
        if (_settings.Format == CdrFormat.AsteriskMaster)
        {
            return CdrLayout.AsteriskMaster;
        }

        if (partition is null)
        {
            return null;
        }

        await using var header = CsvReader.Create(new SliceStream(input, 0, partition.StartByte), CsvInput.Options(), leaveOpen: true);
        if (!await header.ReadAsync(cancellationToken))
        {
            throw new InvalidDataException("Call records cannot be read: the file has no header row.");
        }

        return ResolveLayout(CsvInput.Fields(header));
    }

    private CdrLayout ResolveLayout(string[] header)
    {
        var layout = CdrLayout.FromHeader(header, _settings.Columns!);
        if (layout.Start < 0 && _settings.DefaultStart is null)
        {
            throw new InvalidDataException("Call records cannot be rated: no start column is mapped and no defaultStart is set.");
        }

        return layout;
    }

    /// <summary>The state of one call to <see cref="RateAsync"/>.</summary>
    private sealed class Run(CdrRerater owner, CdrRunOptions options, CdrLayout? layout, long lineOffset)
    {
        private readonly CdrRowRater _rows = new(
            owner._timeline,
            new NumberNormalizer(owner._settings.NumberPlan),
            owner._settings.DefaultStart);

        private readonly CdrOutput _output = new(owner._timeline);
        private CdrLayout? _layout = layout;

        public CdrTally Tally { get; } = new(owner._timeline, options);

        /// <summary>Takes a record; returns whether it wrote an output row (the header row writes none).</summary>
        public bool Take(CsvReader reader, CsvWriter writer)
        {
            if (_layout is null)
            {
                _layout = owner.ResolveLayout(CsvInput.Fields(reader));
                return false;
            }

            var layout = _layout;
            var row = _rows.Rate(reader, layout, lineOffset + reader.LineNumber);
            _output.Write(writer, reader, layout, row);
            if (Tally.Count(row))
            {
                Tally.Report(row, Destination(reader, layout));
            }

            if (options.Calls is { } sink && row.Status != CdrStatus.Bad)
            {
                Keep(sink, reader, layout, row.Line);
            }

            return true;
        }

        /// <summary>Gives the call to the sink when its start and seconds can be read (an unanswered call's may not).</summary>
        private void Keep(ICdrCallSink sink, CsvReader reader, CdrLayout layout, long line)
        {
            var billsec = reader.GetSpan(layout.BilledSeconds).Trim((byte)' ');
            if (!System.Buffers.Text.Utf8Parser.TryParse(billsec, out int seconds, out var used) || used != billsec.Length
                || seconds is < 0 or > CdrRowRater.MaxBillsec || !_rows.TryStart(reader, layout, out var start))
            {
                return;
            }

            var disposition = layout.Disposition >= 0 ? reader.GetSpan(layout.Disposition).Trim((byte)' ') : default;
            var callId = layout.CallId >= 0 && layout.CallId < reader.FieldCount
                ? reader.GetSpan(layout.CallId).Trim((byte)' ')
                : default;
            sink.Take(new CdrCall(
                line, start, reader.GetSpan(layout.Destination), seconds, disposition, layout.Disposition >= 0, callId));
        }

        private static string Destination(CsvReader reader, CdrLayout layout) =>
            layout.Destination < reader.FieldCount ? (reader.GetString(layout.Destination) ?? "").Trim() : "";
    }
}
