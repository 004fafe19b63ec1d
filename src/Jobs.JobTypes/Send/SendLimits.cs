namespace Jobs.JobTypes.Send;

/// <summary>Size limits of a send payload, checked when the job is created.</summary>
public static class SendLimits
{
    /// <summary>Recipients in to, cc and bcc together.</summary>
    public const int MaxRecipients = 100;

    public const int MaxSubjectLength = 500;

    /// <summary>Characters in each of the text and the HTML body, after templates are filled in.</summary>
    public const int MaxBodyLength = 1_000_000;

    public const int MaxAttachments = 20;

    /// <summary>Characters in one template value.</summary>
    public const int MaxValueLength = 100_000;
}
