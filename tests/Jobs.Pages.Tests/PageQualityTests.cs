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
