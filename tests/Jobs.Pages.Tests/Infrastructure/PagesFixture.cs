using Jobs.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Jobs.Pages.Tests.Infrastructure;

/// <summary>
/// One app on a real port and one headless Chromium for every page test. Chromium is Debian's (apt-get install
/// chromium), started with the flags that keep it off the network; <c>JOBS_CHROMIUM</c> names another binary.
/// </summary>
public sealed class PagesFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "JOBS_CHROMIUM";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public PagesApp App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: artifacts/screenshots beside the test assembly (never committed).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        App = new PagesApp(await server.CreateDatabaseAsync("pages"));
        App.StartServer();
        using var client = App.Anonymous();
        await Eventually.Until(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "the app is ready");

        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {chromium}. Install it with 'apt-get install -y chromium' "
                + $"(scripts/test.sh does), or set {ChromiumVariable} to its path.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
        });
        Directory.CreateDirectory(ScreenshotDirectory);

        // Expectations wait for the page; on a busy two-core machine a live update can take longer than the default 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (no cookies) with one page, watched for errors and outside requests.</summary>
    public async Task<BrowserSession> OpenAsync(int width = 1400, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            Locale = "en-US",
            TimezoneId = "Europe/Paris",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await BrowserSession.StartAsync(context, App.BaseAddress);
    }
}

[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<PagesFixture>
{
    public const string Name = "Pages";
}
