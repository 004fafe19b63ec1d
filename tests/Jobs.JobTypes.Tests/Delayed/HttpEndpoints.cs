using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TestHttpServer = Jobs.Tests.Infrastructure.TestHttpServer;

namespace Jobs.JobTypes.Tests.Delayed;

/// <summary>The loopback HTTP server the delayed HTTP tests call, shared by the tests of a class.</summary>
public sealed class HttpEndpoints : IAsyncLifetime
{
    /// <summary>10,000 bytes: 4,094 ASCII letters, then a euro sign (3 bytes) across the 4 KiB mark, then more.</summary>
    public static readonly string BigBody = new string('a', 4094) + "€" + new string('b', 10_000 - 4097);

    public TestHttpServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestHttpServer.StartAsync(app =>
    {
        app.MapGet("/ok", () => "hello");
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            return $"{request.Method} {request.Headers["X-Token"]} {request.ContentType} {body}";
        });
        app.MapGet("/status/{code:int}", (int code, HttpResponse response) =>
        {
            if (code is 429 or 503)
            {
                response.Headers.RetryAfter = "120";
            }

            if (code is >= 300 and < 400)
            {
                response.Headers.Location = "http://169.254.169.254/latest/meta-data/";
            }

            return Results.Text("something went wrong", statusCode: code);
        });
        app.MapGet("/slow", async (CancellationToken aborted) =>
        {
            await Task.Delay(Timeout.Infinite, aborted);
            return "never";
        });
        app.MapGet("/big", () => Results.Text(BigBody, "text/plain; charset=utf-8"));
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
