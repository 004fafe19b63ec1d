using Jint;
using Jint.Runtime;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>
/// Counts the statements of a whole attempt. Jint's own statement limit starts again at every entry into the engine
/// (running the script, calling its function, settling a promise), so it would give each entry the full budget.
/// </summary>
internal sealed class AttemptStatementBudget(int maxStatements) : Constraint
{
    private long _executed;

    // Counting is what this constraint measures: it must see every statement, not every Nth.
    public override bool IsAmortizable => false;

    public override void Check()
    {
        if (++_executed > maxStatements)
        {
            throw new StatementsCountOverflowException();
        }
    }

    public override void Reset()
    {
        // Deliberately nothing: the budget spans every entry of the attempt.
    }
}

/// <summary>
/// Measures what the attempt's thread has allocated since <see cref="Start"/>, across every entry into the engine.
/// Jint's own memory limit (kept as well, for its accounting of deferred string concatenation) starts again at each
/// entry. Allocated, not live: garbage counts, which keeps the check cheap and the outcome repeatable.
/// </summary>
internal sealed class AttemptMemoryBudget(long maxBytes) : Constraint
{
    private long _baseline = -1;

    public override bool IsAmortizable => false;

    /// <summary>Starts measuring; what was allocated before (building the engine, parsing) does not count.</summary>
    public void Start() => _baseline = GC.GetAllocatedBytesForCurrentThread();

    public override void Check()
    {
        if (_baseline < 0)
        {
            return;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - _baseline;
        if (allocated > maxBytes)
        {
            throw new MemoryLimitExceededException($"Script has allocated {allocated} but is limited to {maxBytes}");
        }
    }

    public override void Reset()
    {
        // Deliberately nothing: the budget spans every entry of the attempt.
    }
}
