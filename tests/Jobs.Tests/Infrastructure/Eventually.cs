using System.Diagnostics;

namespace Jobs.Tests.Infrastructure;

/// <summary>Waits for a condition by polling it, so tests never sleep and hope.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds, failing the test with <paramref name="because"/>
    /// once <paramref name="timeout"/> has passed.
    /// </summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (clock.Elapsed >= timeout)
            {
                Assert.Fail($"Gave up after {timeout.TotalSeconds:0.#} s waiting until {because}.");
            }

            await Task.Delay(PollInterval);
        }
    }
}
