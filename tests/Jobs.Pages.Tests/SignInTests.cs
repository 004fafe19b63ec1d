using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.Pages.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.Pages.Tests;

[Collection(PagesCollection.Name)]
public sealed class SignInTests(PagesFixture fixture)
{
    [Theory]
    [InlineData("/jobs")]
    [InlineData("/jobs?type=send&status=failed")]
    [InlineData("/dashboard/")]
    public async Task Page_WithoutSessionOrKey_RedirectsToSignInWithReturnUrl(string path)
    {
        using var client = fixture.App.Anonymous();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/signin?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Api_WithoutSessionOrKey_Answers401ProblemDetails()
    {
        using var client = fixture.App.Anonymous();

        using var response = await client.GetAsync("/api/queues");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Jobs_WithOperatorKeyHeader_ServesThePage()
    {
        using var client = fixture.App.Operator();

        using var response = await client.GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"jobs-config\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithOperatorKey_OpensTheRequestedPageWithAnHttpOnlyStrictSession()
    {
        await using var browser = await fixture.OpenAsync();

        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=send");

        await Expect(browser.Page).ToHaveURLAsync(new Regex("/jobs\\?type=send&status=completed$"));
        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Send", Level = 1 })).ToBeVisibleAsync();
        var cookie = (await browser.Context.CookiesAsync()).Single(c => c.Name == "jobs.session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(PagesApp.OperatorKey, browser.Page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(PagesApp.OperatorKey, cookie.Value, StringComparison.Ordinal);
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task SignIn_WithUnknownKey_StaysOnTheFormWithAnError()
    {
        await using var browser = await fixture.OpenAsync();
        browser.ExpectedErrors.Add("401");
        await browser.Page.GotoAsync("/signin");
        await browser.ScreenshotAsync("signin");

        await browser.Page.GetByLabel("API key").FillAsync("not-a-key");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(browser.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(new Regex("not valid"));
        await Expect(browser.Page.GetByLabel("API key")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.DoesNotContain(await browser.Context.CookiesAsync(), cookie => cookie.Name == "jobs.session");
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey);
        await Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(browser.Page).ToHaveURLAsync(new Regex("/signin$"));
        await browser.Page.GotoAsync("/jobs");
        await Expect(browser.Page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fjobs$"));
        await browser.AssertCleanAsync();
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task SignIn_WithForeignReturnUrl_GoesToTheJobsPage(string returnUrl)
    {
        await using var browser = await fixture.OpenAsync();
        await browser.Page.GotoAsync($"/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");

        await browser.Page.GetByLabel("API key").FillAsync(PagesApp.OperatorKey);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(browser.Page).ToHaveURLAsync(new Regex("^http://127\\.0\\.0\\.1:\\d+/jobs"));
        await browser.AssertCleanAsync();
    }
}
