using System.Buffers;

namespace Jobs.Rating.Cdrs;

/// <summary>
/// Splits a call-record file into partitions of about equal bytes that workers on several machines can rate in
/// parallel; their summaries add up with <see cref="CdrSummary.Add"/> and their outputs concatenate in order.
/// </summary>
/// <remarks>
/// The plan scans the file once for line breaks (LF, so CRLF too) to give each partition its exact first line
/// number. Records never span lines (quoted line breaks end a record when reading call records), so a boundary
/// at a line start is a record boundary.
/// </remarks>
public static class CdrPartitioner
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Plans at most <paramref name="count"/> partitions of <paramref name="input"/> (seekable; read from its
    /// start). With <paramref name="hasHeader"/>, the first line is the header and belongs to no partition.
    /// Fewer partitions come back when the file has fewer lines than asked for.
    /// </summary>
    public static async Task<IReadOnlyList<CdrPartition>> PlanAsync(
        Stream input,
        int count,
        bool hasHeader,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (!input.CanSeek)
        {
            throw new ArgumentException("Planning partitions needs a seekable stream.", nameof(input));
        }

        var starts = await LineStartsAsync(input, count, hasHeader, cancellationToken);
        return ToPartitions(starts, input.Length);
    }

    /// <summary>The plan for a file with or without a header, as the settings say.</summary>
    public static Task<IReadOnlyList<CdrPartition>> PlanAsync(
        Stream input,
        int count,
        CdrSettings settings,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return PlanAsync(input, count, settings.Format == CdrFormat.Csv, cancellationToken);
    }

    private static async Task<List<(long Offset, long Line)>> LineStartsAsync(
        Stream input,
        int count,
        bool hasHeader,
        CancellationToken cancellationToken)
    {
        var scan = new BoundaryScan(input.Length, count, hasHeader);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            input.Position = 0;
            long offset = 0;
            int read;
            while (!scan.Done && (read = await input.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                scan.Feed(buffer.AsSpan(0, read), offset);
                offset += read;
            }

            return scan.Starts;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static List<CdrPartition> ToPartitions(List<(long Offset, long Line)> starts, long length)
    {
        var partitions = new List<CdrPartition>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var end = i + 1 < starts.Count ? starts[i + 1].Offset : length;
            if (end > starts[i].Offset)
            {
                partitions.Add(new CdrPartition(partitions.Count, starts[i].Offset, end, starts[i].Line));
            }
        }

        return partitions;
    }

    /// <summary>Finds, for each byte target, the first line start at or after it, with its line number.</summary>
    private sealed class BoundaryScan
    {
        private readonly long _length;
        private readonly int _count;
        private long _dataStart;
        private long _line = 1;
        private int _next;

        public BoundaryScan(long length, int count, bool hasHeader)
        {
            _length = length;
            _count = count;
            _dataStart = hasHeader ? -1 : 0;
            if (!hasHeader)
            {
                Starts.Add((0, 1));
                _next = 1;
            }
        }

        public List<(long Offset, long Line)> Starts { get; } = [];

        public bool Done => _next >= _count;

        public void Feed(ReadOnlySpan<byte> chunk, long offset)
        {
            var at = 0;
            while (!Done)
            {
                if (_dataStart >= 0)
                {
                    // Line breaks before the one that starts the next partition are only counted, in bulk.
                    var before = (int)Math.Clamp(Target(_next) - offset - 1, at, chunk.Length);
                    _line += chunk[at..before].Count((byte)'\n');
                    at = before;
                }

                var found = chunk[at..].IndexOf((byte)'\n');
                if (found < 0)
                {
                    return;
                }

                at += found + 1;
                _line++;
                LineStartsAt(offset + at);
            }
        }

        private void LineStartsAt(long start)
        {
            if (_dataStart < 0)
            {
                // The header's line ends here: data, and the first partition, start on line 2.
                _dataStart = start;
                Starts.Add((start, _line));
                _next = 1;
                return;
            }

            if (start < _length && start >= Target(_next))
            {
                Starts.Add((start, _line));
                _next++;
                while (!Done && Target(_next) <= start)
                {
                    _next++;
                }
            }
        }

        private long Target(int index) => _dataStart + ((_length - _dataStart) * index / _count);
    }
}
