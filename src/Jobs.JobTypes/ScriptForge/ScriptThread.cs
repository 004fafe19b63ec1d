namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// Runs a script on a thread of its own. Jint runs synchronously, so this keeps a long script off the thread pool,
/// gives the stack-overflow guard a stack of known size to measure, and lets the memory budget read one thread's
/// allocations.
/// </summary>
internal static class ScriptThread
{
    /// <summary>Room for the recursion the limits allow; the guard turns anything deeper into a RangeError.</summary>
    public const int StackSize = 4 * 1024 * 1024;

    public static Task<T> RunAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                try
                {
                    completion.SetResult(work());
                }
                catch (OperationCanceledException exception)
                {
                    completion.SetCanceled(exception.CancellationToken);
                }
                catch (Exception exception)
                {
                    completion.SetException(exception);
                }
            },
            StackSize)
        {
            IsBackground = true,
            Name = "scriptforge",
        };
        thread.Start();
        return completion.Task;
    }
}
