using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.Pages.Tests.Infrastructure;
using Jobs.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.Pages.Tests;

/// <summary>A tenant's view: its own jobs only, no queue controls, no dashboard.</summary>
[Collection(PagesCollection.Name)]
public sealed class TenantTests(PagesFixture fixture)
{
    [Fact]
    public async Task TenantPage_ShowsOnlyThatTenantsJobsAndCounts()
    {
        using var api = fixture.App.Operator();
        var acmeKey = await CreateTenantKeyAsync(api, "acme");
        var own = await api.CreateJobAsync(new { type = "card", tenant = "acme", payload = new { }, delayMs = 3_600_000 });
        var other = await api.CreateJobAsync(new { type = "card", tenant = "globex", payload = new { }, delayMs = 3_600_000 });
        await using var browser = await fixture.OpenAsync();

        await browser.SignInAsync(acmeKey, "/jobs?type=card&status=delayed");

        var page = browser.Page;
        await Expect(page.GetByText("Tenant acme")).ToBeVisibleAsync();
        await Expect(JobsPageTests.Rows(page)).ToHaveCountAsync(1);
        await Expect(JobsPageTests.Rows(page).First).ToHaveAttributeAsync("data-id", own.Id());
        await Expect(page.GetByTestId("count-delayed")).ToHaveTextAsync("1");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause queue" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" })).ToHaveCountAsync(0);
        await page.GetByLabel("Find by id").FillAsync(other.Id());
        await page.GetByLabel("Find by id").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Alert)).ToContainTextAsync("No job");
        await browser.ScreenshotAsync("jobs-tenant");
        browser.ExpectedErrors.Add("404");
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task Dashboard_WithATenantKeyHeader_IsRefused()
    {
        using var api = fixture.App.Operator();
        using var tenant = fixture.App.WithKey(await CreateTenantKeyAsync(api, "initech"));

        using var response = await tenant.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_WithATenantSession_ShowsARefusal()
    {
        using var api = fixture.App.Operator();
        var key = await CreateTenantKeyAsync(api, "umbrella");
        await using var browser = await fixture.OpenAsync();
        browser.ExpectedErrors.Add("403");

        await browser.SignInAsync(key, "/dashboard/");

        var page = browser.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not for this key" })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/$"));
        await browser.ScreenshotAsync("dashboard-refused");
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task Session_OfARevokedKey_EndsAndAsksToSignInAgain()
    {
        using var api = fixture.App.Operator();
        var (id, key) = await CreateKeyAsync(api, "revoked-co");
        await using var browser = await fixture.OpenAsync();
        browser.ExpectedErrors.Add("401");
        await browser.SignInAsync(key);
        await Expect(browser.Page.GetByText("Tenant revoked-co")).ToBeVisibleAsync();
        await browser.Page.GotoAsync("about:blank");

        using var revoked = await api.DeleteAsync($"/api/keys/{id}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await Eventually.Until(async () =>
        {
            // The browser's own cookie jar, without a page whose scripts might navigate at the same time.
            var response = await browser.Context.APIRequest.GetAsync("/jobs", new() { MaxRedirects = 0 });
            return response.Status == 302;
        }, TimeSpan.FromSeconds(30), "the revoked key's session has ended");
        Assert.DoesNotContain(await browser.Context.CookiesAsync(), cookie => cookie.Name == "jobs.session");
        await browser.Page.GotoAsync("/jobs");
        await Expect(browser.Page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fjobs$"));
        await browser.AssertCleanAsync();
    }

    private static async Task<string> CreateTenantKeyAsync(HttpClient api, string tenant) =>
        (await CreateKeyAsync(api, tenant)).Key;

    private static async Task<(string Id, string Key)> CreateKeyAsync(HttpClient api, string tenant)
    {
        using var response = await api.PostAsJsonAsync("/api/keys", new { tenant, role = "tenant" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"creating a key failed: {(int)response.StatusCode} {body}");
        var created = JsonDocument.Parse(body).RootElement;
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }
}
