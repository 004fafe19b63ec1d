using System.Net;
using Microsoft.Extensions.Options;

namespace Jobs.Silo.Hosting;

/// <summary>Where the cluster lives and how this process joins it. Section <c>Jobs:Cluster</c>.</summary>
public sealed class JobsClusterOptions
{
    public const string Section = "Jobs:Cluster";

    /// <summary>Silos with the same cluster id on the same database form one cluster.</summary>
    public string ClusterId { get; set; } = "jobs";

    /// <summary>Names the stored state; keep it across deployments, or jobs and reminders are not found.</summary>
    public string ServiceId { get; set; } = "jobs";

    /// <summary>The address other silos and clients reach this silo on.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 21111;

    /// <summary>Port clients (a separate API process) connect to.</summary>
    public int GatewayPort { get; set; } = 21300;

    /// <summary>Listen on every interface rather than only the advertised address (containers).</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>How often silos probe each other. With <see cref="MissedProbesLimit"/> it sets how soon a dead silo is declared dead.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row before a silo votes another dead.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    public IPAddress AdvertisedIPAddress => IPAddress.Parse(AdvertisedAddress);
}

internal sealed class JobsClusterOptionsValidator : IValidateOptions<JobsClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsClusterOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{JobsClusterOptions.Section}:ClusterId is empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{JobsClusterOptions.Section}:ServiceId is empty.");
        }

        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"{JobsClusterOptions.Section}:AdvertisedAddress '{options.AdvertisedAddress}' is not an IP address.");
        }

        foreach (var (key, port) in new[] { ("SiloPort", options.SiloPort), ("GatewayPort", options.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                failures.Add($"{JobsClusterOptions.Section}:{key} {port} is not a port number.");
            }
        }

        if (options.ProbeTimeout < TimeSpan.FromMilliseconds(200) || options.MissedProbesLimit < 1)
        {
            failures.Add($"{JobsClusterOptions.Section}: ProbeTimeout must be at least 200 ms and MissedProbesLimit at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
