using System.Net;
using System.Net.Sockets;

namespace Jobs.Silo.Hosting;

/// <summary>
/// Refuses to start a silo on ports where something already listens. Orleans' listeners let another process that
/// also asks to share a port bind it too, so without this a second copy on one machine would start on the first
/// one's ports, and connections would be dealt between two clusters of the same name.
/// </summary>
internal static class SiloPorts
{
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(1);

    /// <exception cref="SiloPortInUseException">A silo or gateway port already has a listener.</exception>
    public static void EnsureFree(JobsClusterOptions cluster)
    {
        if (!IPAddress.TryParse(cluster.AdvertisedAddress, out var advertised))
        {
            return; // The options' validation says what is wrong with the address.
        }

        var address = cluster.ListenOnAnyAddress ? IPAddress.Loopback : advertised;
        foreach (var (port, key) in new[] { (cluster.SiloPort, "SiloPort"), (cluster.GatewayPort, "GatewayPort") })
        {
            if (port > 0 && SomeoneListens(address, port))
            {
                throw new SiloPortInUseException(
                    $"Port {port} on {address} (Jobs:Cluster:{key}) already has a listener: is another Jobs silo running " +
                    $"on this machine? Give this one free ports with Jobs__Cluster__{key}.");
            }
        }
    }

    private static bool SomeoneListens(IPAddress address, int port)
    {
        using var client = new TcpClient(address.AddressFamily);
        try
        {
            return client.ConnectAsync(address, port).Wait(Probe);
        }
        catch (AggregateException exception) when (exception.InnerException is SocketException)
        {
            return false;
        }
    }
}

/// <summary>A silo or gateway port of this process already has a listener; the message says which and what to set.</summary>
public sealed class SiloPortInUseException(string message) : InvalidOperationException(message);
