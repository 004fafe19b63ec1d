namespace Jobs.Queues;

/// <summary>One job type's worker slots on this silo: a counting gate with a priority queue of waiters.</summary>
internal sealed class QueueLane(string type)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<Waiter, (int Priority, long Sequence)> _waiting = new();
    private QueueSettings? _settings;
    private int _active;
    private long _sequence;

    public string Type { get; } = type;

    public QueueSettings? Settings
    {
        get
        {
            lock (_lock)
            {
                return _settings;
            }
        }
    }

    public (int Active, int Waiting) Load
    {
        get
        {
            lock (_lock)
            {
                return (_active, _waiting.Count);
            }
        }
    }

    /// <summary>Takes a slot if one is free and nobody is waiting for it; never waits.</summary>
    public IDisposable? TryAcquire()
    {
        lock (_lock)
        {
            if (_waiting.Count == 0 && CanStartOne())
            {
                _active++;
                return new Lease(this);
            }
        }

        return null;
    }

    public ValueTask<IDisposable> AcquireAsync(int priority, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            if (_waiting.Count == 0 && CanStartOne())
            {
                _active++;
                return ValueTask.FromResult<IDisposable>(new Lease(this));
            }

            waiter = new Waiter();

            // Higher priority first; among equals, first come first served.
            _waiting.Enqueue(waiter, (-priority, _sequence++));
        }

        waiter.Registration = cancellationToken.Register(static state => ((Waiter)state!).Cancel(), waiter);
        return new ValueTask<IDisposable>(waiter.Task);
    }

    /// <summary>Applies newer settings; returns false for a stale or repeated version.</summary>
    public bool Apply(QueueSettings settings)
    {
        lock (_lock)
        {
            if (_settings is { } current && current.Version >= settings.Version)
            {
                return false;
            }

            _settings = settings;
        }

        GrantWaiting();
        return true;
    }

    private void Release()
    {
        lock (_lock)
        {
            _active--;
        }

        GrantWaiting();
    }

    private bool CanStartOne() => _settings is { Paused: false } settings && _active < settings.Concurrency;

    private void GrantWaiting()
    {
        while (true)
        {
            Waiter? next = null;
            lock (_lock)
            {
                while (_waiting.Count > 0 && CanStartOne())
                {
                    var candidate = _waiting.Dequeue();
                    if (!candidate.IsCancelled)
                    {
                        _active++;
                        next = candidate;
                        break;
                    }
                }
            }

            if (next is null)
            {
                return;
            }

            // Completing outside the lock: a waiter that was cancelled at this very moment gives the slot back.
            if (!next.TryGrant(new Lease(this)))
            {
                Release();
                return;
            }
        }
    }

    private sealed class Waiter
    {
        private readonly TaskCompletionSource<IDisposable> _completion =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public Task<IDisposable> Task => _completion.Task;

        public bool IsCancelled => _completion.Task.IsCanceled;

        public void Cancel() => _completion.TrySetCanceled();

        public bool TryGrant(IDisposable lease)
        {
            Registration.Dispose();
            return _completion.TrySetResult(lease);
        }
    }

    private sealed class Lease(QueueLane lane) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lane.Release();
            }
        }
    }
}
