using System.Text.Json;

namespace Jobs.Handlers;

/// <summary>
/// Does the work of one job type. The engine calls <see cref="ExecuteAsync"/> once per attempt, off the job grain's
/// turn, and turns the outcome (or any exception, whose message becomes the failed reason) into the next status.
/// </summary>
/// <remarks>
/// Attempts run at least once and may run again after a silo dies mid-attempt, so work that touches the outside
/// world should be safe to repeat or check what an earlier attempt already did.
/// </remarks>
public interface IJobHandler
{
    /// <summary>The job type id this handler serves (see <see cref="JobType"/>).</summary>
    string Type { get; }

    /// <summary>Checks a payload before the job is stored, so bad input is refused at creation.</summary>
    PayloadValidation Validate(JsonElement payload) => PayloadValidation.Valid;

    /// <summary>
    /// Checks what a valid payload refers to among the tenant's data (a stored script, say), before the job is stored,
    /// so a reference that cannot work is refused at creation rather than failing every attempt.
    /// </summary>
    ValueTask<PayloadValidation> ValidateReferencesAsync(JsonElement payload, string tenant, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PayloadValidation.Valid);

    /// <summary>A few short facts about a payload shown beside the job in listings (for example subject and recipient).</summary>
    IReadOnlyDictionary<string, string>? Summarize(JsonElement payload) => null;

    /// <summary>Runs one attempt. The token is cancelled on timeout, on cancel, and when the silo stops.</summary>
    Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken);
}
