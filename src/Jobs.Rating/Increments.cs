namespace Jobs.Rating;

/// <summary>Billing increments: how a call's answered seconds become billed seconds.</summary>
public static class Increments
{
    /// <summary>
    /// The billed seconds of a call lasting <paramref name="seconds"/>: none for a call of no seconds, the initial
    /// increment for a call no longer than it, otherwise the initial increment plus as many whole subsequent
    /// increments as cover the rest.
    /// </summary>
    public static int Bill(int seconds, int initial, int increment)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initial);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(increment);

        if (seconds <= 0)
        {
            return 0;
        }

        if (seconds <= initial)
        {
            return initial;
        }

        var steps = ((long)seconds - initial + increment - 1) / increment;
        return checked((int)(initial + (steps * increment)));
    }
}
