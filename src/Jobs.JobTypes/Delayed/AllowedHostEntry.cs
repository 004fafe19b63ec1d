using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// One entry of <see cref="DelayedOptions.AllowedHosts"/>: a host name, a *.wildcard, an address or a network.
/// </summary>
internal sealed record AllowedHostEntry(string? Name, string? SuffixOf, IPNetwork? Network)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out AllowedHostEntry? entry)
    {
        entry = null;
        var value = text.Trim().TrimEnd('.').ToLowerInvariant();
        if (value.Length == 0)
        {
            return false;
        }

        if (IPNetwork.TryParse(value, out var network))
        {
            entry = new AllowedHostEntry(null, null, network);
        }
        else if (IPAddress.TryParse(value.Trim('[', ']'), out var address))
        {
            entry = new AllowedHostEntry(null, null, new IPNetwork(address, address.GetAddressBytes().Length * 8));
        }
        else if (value.StartsWith("*.", StringComparison.Ordinal) && IsHostName(value[2..]))
        {
            entry = new AllowedHostEntry(null, value[1..], null);
        }
        else if (IsHostName(value))
        {
            entry = new AllowedHostEntry(value, null, null);
        }

        return entry is not null;
    }

    /// <summary>True when the URL's host name is this entry's name or one of its subdomains.</summary>
    public bool MatchesName(string host) =>
        (Name is not null && Name == host)
        || (SuffixOf is not null && host.EndsWith(SuffixOf, StringComparison.Ordinal));

    public bool MatchesAddress(IPAddress address) =>
        Network is { } network && (network.Contains(address) || network.Contains(AddressRanges.Unwrap(address)));

    private static bool IsHostName(string value) => Uri.CheckHostName(value) == UriHostNameType.Dns;
}
