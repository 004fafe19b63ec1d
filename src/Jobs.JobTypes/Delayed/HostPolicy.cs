using System.Net;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// Decides which addresses an HTTP action may connect to: public addresses (unless turned off), and any address
/// of a host or network the operator allowed. Everything in a special range (<see cref="AddressRanges"/>) is
/// refused otherwise.
/// </summary>
internal sealed class HostPolicy
{
    private readonly List<AllowedHostEntry> _allowed;
    private readonly bool _allowPublic;

    public HostPolicy(DelayedOptions options)
    {
        _allowPublic = options.AllowPublicAddresses;
        _allowed = [];
        foreach (var entry in options.AllowedHosts)
        {
            if (AllowedHostEntry.TryParse(entry, out var parsed))
            {
                _allowed.Add(parsed);
            }
        }
    }

    /// <summary>Null when <paramref name="host"/> may be reached at <paramref name="address"/>, else why not.</summary>
    public string? Refusal(string host, IPAddress address)
    {
        var name = NormalizeHost(host);
        if (_allowed.Exists(entry => entry.MatchesName(name) || entry.MatchesAddress(address)))
        {
            return null;
        }

        var range = AddressRanges.Classify(address);
        if (range is not null)
        {
            return $"{address} ({range})";
        }

        return _allowPublic ? null : $"{address} (public, and only listed hosts are allowed)";
    }

    public static string NormalizeHost(string host) => host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
}
