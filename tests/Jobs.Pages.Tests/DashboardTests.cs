using System.Net;
using System.Text.RegularExpressions;
using Jobs.Pages.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.Pages.Tests;

/// <summary>The Orleans dashboard under /dashboard/: operators only, and nothing fetched from the internet.</summary>
[Collection(PagesCollection.Name)]
public sealed class DashboardTests(PagesFixture fixture)
{
    [Fact]
    public async Task Dashboard_ForAnOperatorSession_LoadsEveryAssetFromThisServer()
    {
        await using var browser = await fixture.OpenAsync();

        await browser.SignInAsync(PagesApp.OperatorKey, "/dashboard/");

        var page = browser.Page;
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orleans Dashboard" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Silos" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Methods with Highest Latency" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard");
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task Dashboard_WithOperatorKeyHeader_Answers200()
    {
        using var client = fixture.App.Operator();

        using var response = await client.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_FromTheJobsPage_IsLinkedForOperators()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey);

        await browser.Page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" }).ClickAsync();

        await Expect(browser.Page).ToHaveURLAsync(new Regex("/dashboard/$"));
        await browser.AssertCleanAsync();
    }
}
