namespace Jobs.JobTypes.Delayed;

/// <summary>
/// Settings of the <c>delayed</c> job type, bound from <c>Jobs:Delayed</c>; <c>JOBS_HTTP_ALLOWED_HOSTS</c>
/// (comma-separated) adds to <see cref="AllowedHosts"/>. Checked at start-up by <see cref="DelayedOptionsValidator"/>.
/// </summary>
public sealed class DelayedOptions
{
    public const string SectionName = "Jobs:Delayed";

    /// <summary>The environment variable whose comma-separated entries add to <see cref="AllowedHosts"/>.</summary>
    public const string AllowedHostsVariable = "JOBS_HTTP_ALLOWED_HOSTS";

    /// <summary>
    /// Hosts that HTTP actions may reach even at addresses that are refused otherwise (loopback, private,
    /// link-local, metadata, multicast, ...). An entry is a host name (<c>billing.internal</c>), a wildcard for
    /// its subdomains (<c>*.svc.internal</c>), an IP address (<c>10.1.2.3</c>, <c>::1</c>) or a network in CIDR
    /// form (<c>10.20.0.0/16</c>). A name entry allows whatever its name resolves to.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// Whether public addresses may be reached without being listed. Defaults to true; set false to limit HTTP
    /// actions to <see cref="AllowedHosts"/> alone.
    /// </summary>
    public bool AllowPublicAddresses { get; set; } = true;

    /// <summary>
    /// How long one HTTP action may take, from connecting to reading the start of the body. Defaults to 30 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How much of the response body is kept in the result. Defaults to 4 KiB.</summary>
    public int MaxResultBodyBytes { get; set; } = 4096;

    /// <summary>
    /// The longest Retry-After (on 408, 429 and 5xx) that is honoured; a longer one falls back to the job's backoff.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);
}
