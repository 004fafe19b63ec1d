using System.Net;
using System.Net.Sockets;

namespace Jobs.Tests.Infrastructure;

/// <summary>Free loopback ports above 20000, picked at random so two test runs on one machine do not collide.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Handed = [];

    public static int Pick()
    {
        for (var i = 0; i < 200; i++)
        {
            var port = Random.Shared.Next(20001, 60000);
            lock (Handed)
            {
                if (!Handed.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("No free TCP port found between 20001 and 60000.");
    }
}
