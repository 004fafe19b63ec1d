using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Jobs.Pages.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.Pages.Tests;

/// <summary>axe-core's WCAG 2.1 A and AA rules over the sign-in page, the jobs page and a job's detail.</summary>
[Collection(PagesCollection.Name)]
public sealed class AccessibilityTests(PagesFixture fixture)
{
    [Fact]
    public async Task Axe_FindsNoViolations_OnSignInJobsPageAndJobDetail()
    {
        using var api = fixture.App.Operator();
        var job = await api.CreateJobAsync(new
        {
            type = "send", delayMs = 3_600_000,
            payload = new { to = new[] { "carol@example.com" }, subject = "Axe", text = "Hi" },
        });
        await using var browser = await fixture.OpenAsync();
        var page = browser.Page;

        await page.GotoAsync("/signin");
        await AssertAccessibleAsync(page, "the sign-in page");
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=send&status=delayed");
        await Expect(JobsPageTests.Rows(page).First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("throughput")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "the jobs page");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Job {job.Id()}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).GetByTestId("detail-status")).ToHaveTextAsync("delayed");
        await AssertAccessibleAsync(page, "a job's detail");
        await browser.AssertCleanAsync();
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });

        var found = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}) at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}: {v.Help}");
        Assert.True(result.Violations.Length == 0, $"{what}: " + string.Join("; ", found));
        Assert.NotEmpty(result.Passes);
    }
}
