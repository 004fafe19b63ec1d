using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Infrastructure;

/// <summary>A Kestrel server on 127.0.0.1 and a port the system picks, counting the requests it receives.</summary>
public sealed class TestHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private TestHttpServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The server's root, for example <c>http://127.0.0.1:34567/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    /// <summary>How many requests reached the server.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<TestHttpServer> StartAsync(Action<WebApplication> mapEndpoints)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var server = new TestHttpServer(builder.Build());
        server._app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            Interlocked.Increment(ref server._requests);
            await next(context);
        });
        mapEndpoints(server._app);

        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    public Uri Url(string path) => new(BaseAddress, path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
