namespace Jobs.Api.Pages;

/// <summary>The job types the jobs page lists, in its order, with the names people know them by.</summary>
public static class JobTypeNames
{
    /// <summary>Every product type; the built-in <c>noop</c> type is for smoke tests and stays off the page.</summary>
    public static IReadOnlyList<(string Id, string Name)> Shown { get; } =
    [
        (JobType.Card, "Card"),
        (JobType.Cdr, "CDR"),
        (JobType.Delayed, "Delayed"),
        (JobType.Orc, "ORC"),
        (JobType.Send, "Send"),
        (JobType.ScriptForge, "ScriptForge"),
        (JobType.Switch, "Switch"),
        (JobType.SipTest, "SIP Test"),
        (JobType.Transcribe, "Transcribe"),
    ];
}
