using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// The connect step of the delayed type's HTTP client: resolves the host itself, checks every address against
/// the <see cref="HostPolicy"/>, and connects only to an allowed one. Checking here, on the addresses actually
/// dialled, defeats DNS rebinding (a name that resolved to a public address when checked and to an internal one
/// when connected). Proxies are off for this client, so this is the only way out.
/// </summary>
internal sealed class GuardedConnector(IOptionsMonitor<DelayedOptions> options)
{
    public async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(HostPolicy.NormalizeHost(host), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);

        var policy = new HostPolicy(options.CurrentValue);
        var allowed = addresses.Where(address => policy.Refusal(host, address) is null).ToList();
        if (allowed.Count == 0)
        {
            var refusals = string.Join(", ", addresses.Select(address => policy.Refusal(host, address)));
            var why = addresses.Length == 0 ? "it has no address" : $"it resolves to {refusals}";
            throw new HostNotAllowedException(host, why);
        }

        return await ConnectToFirstAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
    }

    private static async Task<Stream> ConnectToFirstAsync(
        List<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            var socket = new Socket(addresses[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(addresses[i], port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (i < addresses.Count - 1)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}

/// <summary>An HTTP action's host is not one this platform may reach.</summary>
public sealed class HostNotAllowedException(string host, string why)
    : Exception(
        $"host '{host}' is not allowed: {why}; an operator can allow it in {DelayedOptions.SectionName}:AllowedHosts.")
{
    public string Host { get; } = host;
}
