using System.Threading.Channels;

namespace Jobs.Api.Events;

/// <summary>
/// This API process's single reader of <c>jobs.job_event</c>. It polls the table for rows after the last one it
/// delivered and hands each to the streams whose filter matches: one query per poll serves every open stream. It
/// polls every <see cref="LivePollPeriod"/> while streams are open and every <see cref="IdlePollPeriod"/> otherwise,
/// just to keep its position current.
/// </summary>
/// <remarks>
/// Polling rather than LISTEN/NOTIFY is deliberate: a NOTIFY takes a database-wide lock at commit, which made every
/// job transition in the cluster commit one after another, and woke every API process once per event. A poll costs
/// one index range scan on the primary key whatever the event rate.
/// <para>
/// Delivery is in sequence order without holes: sequence numbers are taken at insert but seen at commit, so seq
/// n+1 can be visible before n. The feed stops at such a gap and waits for it to fill; a gap still open after
/// <see cref="GapTimeout"/> belongs to a transaction that rolled back (or a sequence jump after a crash) and is
/// passed. Writers are single statements that commit in milliseconds, so a real event is never given up.
/// A stream that falls <see cref="StreamBuffer"/> events behind is closed; its client reconnects with
/// Last-Event-ID and catches up from the table.
/// </para>
/// </remarks>
public sealed partial class JobEventFeed(JobEventReader reader, TimeProvider clock, ILogger<JobEventFeed> logger)
    : BackgroundService
{
    public static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(5);

    private const int StreamBuffer = 10_000;
    private const int Batch = 1_000;
    public static readonly TimeSpan LivePollPeriod = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan IdlePollPeriod = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan GapPollPeriod = TimeSpan.FromMilliseconds(50);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];
    private long _position;
    private (long Seq, DateTimeOffset Since)? _gap;

    /// <summary>Asks the feed to read now rather than at its next poll.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Starts receiving the events that match <paramref name="filter"/> from the current position on. Events up to
    /// <see cref="Subscription.Position"/> are not delivered to it: read them from the table to catch up.
    /// </summary>
    public async Task<Subscription> SubscribeAsync(JobEventFilter filter, CancellationToken cancellationToken)
    {
        await _started.Task.WaitAsync(cancellationToken);
        lock (_lock)
        {
            var subscription = new Subscription(this, filter, _position);
            _subscriptions.Add(subscription);
            if (_subscriptions.Count == 1)
            {
                // The feed was polling at its idle pace: start the live one now.
                Wake();
            }

            return subscription;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LoadPositionAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var more = await ReadOnceAsync(stoppingToken);
                if (!more)
                {
                    await WaitForWakeAsync(NextPoll(), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogReadFailed(exception);
                await WaitForWakeAsync(IdlePollPeriod, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task LoadPositionAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                _position = await reader.LastSeqAsync(stoppingToken);
                _started.TrySetResult();
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The schema may not be applied yet (an embedded silo applies it as it starts).
                LogReadFailed(exception);
                await Task.Delay(IdlePollPeriod, stoppingToken);
            }
        }
    }

    private TimeSpan NextPoll()
    {
        if (_gap is not null)
        {
            return GapPollPeriod;
        }

        lock (_lock)
        {
            return _subscriptions.Count > 0 ? LivePollPeriod : IdlePollPeriod;
        }
    }

    /// <summary>Reads and delivers one batch. True when there may be more to read at once.</summary>
    private async Task<bool> ReadOnceAsync(CancellationToken cancellationToken)
    {
        var events = await reader.ReadAfterAsync(_position, Batch, cancellationToken);
        foreach (var e in events)
        {
            if (e.Seq != _position + 1 && !GapExpired(_position + 1))
            {
                return false;
            }

            Deliver(e);
        }

        return events.Count == Batch;
    }

    private bool GapExpired(long missing)
    {
        var now = clock.GetUtcNow();
        if (_gap is not { } gap || gap.Seq != missing)
        {
            _gap = (missing, now);
            return false;
        }

        if (now - gap.Since < GapTimeout)
        {
            return false;
        }

        LogGapPassed(missing);
        return true;
    }

    private void Deliver(JobEvent e)
    {
        lock (_lock)
        {
            for (var i = _subscriptions.Count - 1; i >= 0; i--)
            {
                var subscription = _subscriptions[i];
                if (subscription.Filter.Matches(e) && !subscription.Offer(e))
                {
                    _subscriptions.RemoveAt(i);
                    LogStreamTooSlow(e.Seq);
                }
            }

            _position = e.Seq;
            _gap = null;
        }
    }

    private async Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>One stream's share of the feed. Dispose it when the stream ends.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly JobEventFeed _feed;
        private readonly Channel<JobEvent> _events = Channel.CreateBounded<JobEvent>(
            new BoundedChannelOptions(StreamBuffer) { SingleReader = true, SingleWriter = true });

        internal Subscription(JobEventFeed feed, JobEventFilter filter, long position)
        {
            _feed = feed;
            Filter = filter;
            Position = position;
        }

        public JobEventFilter Filter { get; }

        /// <summary>The last sequence number delivered before this subscription started.</summary>
        public long Position { get; }

        /// <summary>Live events; completes when the stream fell too far behind.</summary>
        public ChannelReader<JobEvent> Events => _events.Reader;

        public void Dispose()
        {
            _feed.Remove(this);
            _events.Writer.TryComplete();
        }

        internal bool Offer(JobEvent e)
        {
            if (_events.Writer.TryWrite(e))
            {
                return true;
            }

            _events.Writer.TryComplete();
            return false;
        }
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Reading the job event feed failed; retrying")]
    private partial void LogReadFailed(Exception exception);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information,
        Message = "Job event {Seq} did not appear within the gap timeout; passing it as rolled back")]
    private partial void LogGapPassed(long seq);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information,
        Message = "Closed an event stream that fell behind at event {Seq}; its client resumes with Last-Event-ID")]
    private partial void LogStreamTooSlow(long seq);
}
