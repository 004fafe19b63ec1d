using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Jobs.Pages.Tests.Infrastructure;

/// <summary>
/// A browser context with one page. Every request is checked: one for any host but the app's loopback address is
/// aborted and recorded, and so is every console error and uncaught exception; <see cref="AssertCleanAsync"/> fails
/// the test on any of them.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _outside = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly IBrowserContext _context;

    private BrowserSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public IBrowserContext Context => _context;

    /// <summary>Console errors the test expects (for example the browser's note about a 401 or 403 answer).</summary>
    public List<string> ExpectedErrors { get; } = [];

    public static async Task<BrowserSession> StartAsync(IBrowserContext context, Uri app)
    {
        var page = await context.NewPageAsync();
        var session = new BrowserSession(context, page);
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Host == app.Host && url.Port == app.Port)
            {
                await route.ContinueAsync();
                return;
            }

            session._outside.Enqueue(route.Request.Url);
            await route.AbortAsync();
        });
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                session._errors.Enqueue($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => session._errors.Enqueue($"uncaught: {error}");
        return session;
    }

    /// <summary>Signs in through the sign-in page, starting from <paramref name="path"/>.</summary>
    public async Task SignInAsync(string key, string path = "/jobs")
    {
        await Page.GotoAsync(path);
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl="));
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Saves a full-page screenshot under artifacts/screenshots.</summary>
    public Task ScreenshotAsync(string name) => Page.ScreenshotAsync(new PageScreenshotOptions
    {
        Path = Path.Combine(PagesFixture.ScreenshotDirectory, name + ".png"),
        FullPage = true,
    });

    /// <summary>No request left the app's loopback address, and the page logged no unexpected error.</summary>
    public Task AssertCleanAsync()
    {
        Assert.True(_outside.IsEmpty, "requests left 127.0.0.1: " + string.Join(", ", _outside));
        var unexpected = _errors.Where(e => !ExpectedErrors.Any(expected => e.Contains(expected, StringComparison.Ordinal)));
        Assert.Empty(unexpected);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
