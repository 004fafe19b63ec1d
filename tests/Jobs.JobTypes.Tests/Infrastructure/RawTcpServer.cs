using System.Net;
using System.Net.Sockets;

namespace Jobs.JobTypes.Tests.Infrastructure;

/// <summary>
/// A loopback TCP listener on a port the system picks that runs <c>conversation</c> for each connection: for
/// servers that misbehave in ways a well-made SMTP server will not (hang up mid-session, never greet).
/// </summary>
public sealed class RawTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public RawTcpServer(Func<NetworkStream, CancellationToken, Task> conversation)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(conversation);
    }

    public int Port { get; }

    /// <summary>A port on which nothing listens: bound by the system, then released.</summary>
    public static int UnusedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<NetworkStream, CancellationToken, Task> conversation)
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await conversation(client.GetStream(), _stop.Token);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                    {
                    }
                }
            });
        }
    }
}
