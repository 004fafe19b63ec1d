using System.Net;
using System.Net.Sockets;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// Names the special-purpose range an IP address falls in (loopback, private, metadata, ...), or none for an
/// ordinary public address. IPv4 addresses written inside IPv6 (mapped, compatible, NAT64) are judged as IPv4.
/// </summary>
public static class AddressRanges
{
    private static readonly (IPNetwork Network, string Name)[] Special =
    [
        (IPNetwork.Parse("169.254.169.254/32"), "cloud metadata"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "cloud metadata"),
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (CGNAT)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fc00::/7"), "unique-local"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");

    /// <summary>The name of the special range holding <paramref name="address"/>; null for a public one.</summary>
    public static string? Classify(IPAddress address)
    {
        var normalized = Unwrap(address);
        foreach (var (network, name) in Special)
        {
            if (network.Contains(normalized))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The IPv4 address carried inside an IPv6 one, or the address itself.</summary>
    public static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var embedsIpv4 = Nat64.Contains(address) || (Ipv4Compatible.Contains(address) && !IsShort(bytes));
        return embedsIpv4 ? new IPAddress(bytes.AsSpan(12, 4)) : address;
    }

    /// <summary>:: and ::1 sit in ::/96 too but are IPv6's own unspecified and loopback addresses.</summary>
    private static bool IsShort(byte[] bytes) => bytes.AsSpan(0, 15).IndexOfAnyExcept((byte)0) < 0;
}
