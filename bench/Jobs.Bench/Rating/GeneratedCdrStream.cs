namespace Jobs.Bench.Rating;

/// <summary>
/// An endless-looking Master.csv made on the fly from real dialed numbers, with random starts, dispositions and
/// seconds, so millions of calls can be rated without a file on disk. The same seed gives the same bytes.
/// </summary>
internal sealed class GeneratedCdrStream : Stream
{
    private const int YearSeconds = 365 * 24 * 3600;

    private static readonly byte[] Answered = "ANSWERED"u8.ToArray();
    private static readonly byte[] NoAnswer = "NO ANSWER"u8.ToArray();
    private static readonly byte[] Busy = "BUSY"u8.ToArray();

    // "2026-MM-dd " for every day of the year (and the first of the next, for calls ending after midnight).
    private static readonly byte[][] Days =
    [
        .. Enumerable.Range(0, 366).Select(day => System.Text.Encoding.ASCII.GetBytes(
            new DateTime(2026, 1, 1).AddDays(day).ToString("yyyy-MM-dd ", System.Globalization.CultureInfo.InvariantCulture))),
    ];

    private readonly byte[][] _dialed;
    private readonly Random _random;
    private readonly byte[] _row = new byte[512];
    private readonly RowWriter _writer;
    private long _remaining;
    private int _rowLength;
    private int _rowOffset;
    private long _produced;

    public GeneratedCdrStream(string[] numbers, long calls, int seed)
    {
        _dialed = Dialed(numbers);
        _writer = new RowWriter(_row);
        _remaining = calls;
        _random = new Random(seed);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && (_rowOffset < _rowLength || NextRow()))
        {
            var take = Math.Min(buffer.Length - written, _rowLength - _rowOffset);
            _row.AsSpan(_rowOffset, take).CopyTo(buffer[written..]);
            _rowOffset += take;
            written += take;
        }

        _produced += written;
        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool NextRow()
    {
        if (_remaining == 0)
        {
            return false;
        }

        _remaining--;
        var dialed = _dialed[_random.Next(_dialed.Length)];
        var roll = _random.Next(10);
        var disposition = roll < 7 ? Answered : roll < 9 ? NoAnswer : Busy;
        var billsec = roll < 7 ? 1 + (int)(-90 * Math.Log(1 - _random.NextDouble())) : 0;
        var start = _random.Next(YearSeconds);

        var row = _writer.Reset();
        row.Append("\"\",\"1115\",\""u8).Append(dialed).Append("\",\"default\",\"\"\"Caller 1\"\" <1115>\",\"PJSIP/1115-00001\","u8);
        row.Append("\"PJSIP/trunk-00001\",\"Dial\",\"PJSIP/"u8).Append(dialed).Append("@trunk,,XL\",\""u8);
        row.Time(start).Append("\",\""u8).Time(start + 5).Append("\",\""u8).Time(start + billsec + 7).Append("\","u8);
        row.Number(billsec + 7).Append(","u8).Number(billsec).Append(",\""u8).Append(disposition);
        row.Append("\",\"DOCUMENTATION\",\""u8).Number(_remaining).Append(".1\",\"\"\n"u8);
        _rowLength = row.Length;
        _rowOffset = 0;
        return true;
    }

    /// <summary>Dialed as a North American PBX logs it: ten digits or 1 + ten for the US, 011 + number abroad.</summary>
    private static byte[][] Dialed(string[] numbers) =>
    [
        .. numbers.SelectMany(number => number.StartsWith('1')
            ? new[] { number[1..], number }
            : new[] { "011" + number, "011" + number })
            .Select(System.Text.Encoding.ASCII.GetBytes),
    ];

    /// <summary>Appends UTF-8 to a row without allocating; times are seconds into 2026.</summary>
    private sealed class RowWriter(byte[] buffer)
    {
        private readonly byte[] _buffer = buffer;

        public int Length { get; private set; }

        public RowWriter Reset()
        {
            Length = 0;
            return this;
        }

        public RowWriter Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer.AsSpan(Length));
            Length += bytes.Length;
            return this;
        }

        public RowWriter Number(long value)
        {
            System.Buffers.Text.Utf8Formatter.TryFormat(value, _buffer.AsSpan(Length), out var written);
            Length += written;
            return this;
        }

        public RowWriter Time(int secondsIntoYear)
        {
            var day = Math.Min(secondsIntoYear / 86_400, Days.Length - 1);
            Append(Days[day]);
            var time = secondsIntoYear % 86_400;
            return Pair(time / 3600).Append(":"u8).Pair(time / 60 % 60).Append(":"u8).Pair(time % 60);
        }

        private RowWriter Pair(int value)
        {
            _buffer[Length++] = (byte)('0' + (value / 10));
            _buffer[Length++] = (byte)('0' + (value % 10));
            return this;
        }
    }
}

/// <summary>A write-only sink that counts what it is given.</summary>
internal sealed class CountingStream : Stream
{
    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Written;

    public override long Position
    {
        get => Written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Written += count;

    public override void Write(ReadOnlySpan<byte> buffer) => Written += buffer.Length;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Written += buffer.Length;
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
