using System.Text.RegularExpressions;
using Jobs.Pages.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.Pages.Tests;

/// <summary>Keyboard use, narrow screens, the operator's own CSS and JavaScript, and assets served locally.</summary>
[Collection(PagesCollection.Name)]
public sealed class PageQualityTests(PagesFixture fixture)
{
    [Fact]
    public async Task Keyboard_MovesBetweenTabsWithArrowsAndOpensAJobWithEnter()
    {
        using var api = fixture.App.Operator();
        var job = await api.CreateJobAsync(new { type = "switch", payload = new { }, delayMs = 3_600_000 });
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=switch&status=active");
        var page = browser.Page;
        await page.GetByRole(AriaRole.Tab, new() { Name = "Active" }).FocusAsync();

        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Delayed" })).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Delayed" })).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Tabpanel)).ToBeVisibleAsync();
        var open = page.GetByRole(AriaRole.Button, new() { Name = $"Job {job.Id()}" });
        await open.FocusAsync();
        var outline = await open.EvaluateAsync<string>("b => getComputedStyle(b).outlineStyle");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        Assert.Equal("solid", outline);
        await page.Keyboard.PressAsync("Escape");
        await Expect(open).ToBeFocusedAsync();
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task NarrowScreen_KeepsThePageWithinTheViewport()
    {
        await using var browser = await fixture.OpenAsync(width: 390, height: 844);

        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=send");

        var page = browser.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Send", Level = 1 })).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the screen");
        await browser.ScreenshotAsync("jobs-narrow");
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task OperatorsCustomCssAndJavaScript_AreLoadedIntoThePage()
    {
        await using var browser = await fixture.OpenAsync();

        await browser.SignInAsync(PagesApp.OperatorKey);

        var page = browser.Page;
        await Expect(page.Locator("#operator-extension")).ToHaveTextAsync("Extended by the operator");
        var brand = await page.Locator(".topbar .brand")
            .EvaluateAsync<string>("b => getComputedStyle(b, '::after').content");
        Assert.Contains("Acme Telecom", brand, StringComparison.Ordinal);
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task ColumnChoice_HidesAColumnAndIsRememberedAfterAReload()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=send&status=delayed");
        var page = browser.Page;
        var latency = page.GetByRole(AriaRole.Columnheader, new() { Name = "Start latency" });
        await Expect(latency).ToBeVisibleAsync();

        await page.GetByText("Columns", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Start latency" }).UncheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Created at" }).CheckAsync();

        await Expect(latency).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Created at" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Created at" })).ToBeVisibleAsync();
        await Expect(latency).ToHaveCountAsync(0);
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task TimeRange_FiltersTheGridByCreationTime()
    {
        using var api = fixture.App.Operator();
        var job = await api.CreateJobAsync(new
        {
            type = "send", delayMs = 3_600_000,
            payload = new { to = new[] { "bob@example.com" }, subject = "Range", text = "Hi" },
        });
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=send&status=delayed");
        var page = browser.Page;
        var row = page.Locator($"[data-testid=jobs-grid] tr[data-id='{job.Id()}']");
        await Expect(row).ToBeVisibleAsync();

        await page.GetByLabel("Created", new() { Exact = true }).SelectOptionAsync("custom");
        await page.GetByLabel("From", new() { Exact = true }).FillAsync(DateTime.Now.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm"));

        await Expect(row).ToHaveCountAsync(0);
        await Expect(page).ToHaveURLAsync(new Regex("range=custom&from="));
        await page.GetByLabel("Created", new() { Exact = true }).SelectOptionAsync("15m");
        await Expect(row).ToBeVisibleAsync();
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task Sorting_ByAColumn_OrdersTheRowsOnThePageAndSaysSo()
    {
        using var api = fixture.App.Operator();
        for (var i = 0; i < 3; i++)
        {
            await api.CreateJobAsync(new
            {
                type = "send", delayMs = 3_600_000,
                payload = new { to = new[] { $"s{i}@example.com" }, subject = $"Sort {i}", text = "x" },
            });
        }

        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=send&status=delayed");
        var page = browser.Page;
        await Expect(JobsPageTests.Rows(page).Nth(2)).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "ID", Exact = true }).ClickAsync();

        await Expect(page.Locator("th[aria-sort=ascending]")).ToHaveTextAsync(new Regex("^ID"));
        await Expect(page.GetByTestId("sort-note")).ToHaveTextAsync(new Regex("Only the rows on this page are sorted by id"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "ID", Exact = true }))
            .ToHaveAttributeAsync("title", new Regex("^Sort only the rows on this page"));
        var ids = await JobsPageTests.Rows(page).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        await page.GetByRole(AriaRole.Button, new() { Name = "ID", Exact = true }).ClickAsync();
        await Expect(page.Locator("th[aria-sort=descending]")).ToHaveTextAsync(new Regex("^ID"));
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task Assets_AreServedWithLongCachingAndTheManifestIsNot()
    {
        using var client = fixture.App.Operator();
        var html = await client.GetStringAsync("/jobs");
        var script = Regex.Match(html, "src=\"(/jobs/assets/[^\"]+\\.js)\"").Groups[1].Value;

        using var asset = await client.GetAsync(script);
        using var manifest = await client.GetAsync("/jobs/assets/.vite/manifest.json");

        Assert.True(asset.IsSuccessStatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, manifest.StatusCode);
    }
}
