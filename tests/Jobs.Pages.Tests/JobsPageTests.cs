using System.Text.RegularExpressions;
using Jobs.Pages.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.Pages.Tests;

/// <summary>
/// The jobs page as an operator uses it. Each test owns one job type, so counts are exact whatever order tests run in.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class JobsPageTests(PagesFixture fixture)
{
    private const long AnHour = 3_600_000;

    [Fact]
    public async Task TypesAndTabs_ShowCountsRowsReadableUnitsAndTheChart()
    {
        using var api = fixture.App.Operator();
        var completed = new[]
        {
            await api.CreateJobAsync(new { type = "orc", payload = new { durationMs = 20 } }),
            await api.CreateJobAsync(new { type = "orc", payload = new { durationMs = 20 } }),
        };
        var failed = await api.CreateJobAsync(new
        {
            type = "orc", attempts = 1, payload = new { failTimes = 1, failMessage = "carrier deck missing" },
        });
        await api.CreateJobAsync(new { type = "orc", payload = new { }, delayMs = AnHour });
        foreach (var job in completed)
        {
            await api.WaitForStatusAsync(job.Id(), "completed");
        }

        await api.WaitForStatusAsync(failed.Id(), "failed");
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey);
        var page = browser.Page;

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Job types" })
            .GetByRole(AriaRole.Button, new() { Name = "ORC" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ORC", Level = 1 })).ToBeVisibleAsync();
        await ExpectCountsAsync(page, completed: 2, failed: 1, active: 0, delayed: 1, wait: 0);
        await Expect(Rows(page)).ToHaveCountAsync(2);
        await Expect(page.GetByText("Times in Europe/Paris")).ToBeVisibleAsync();
        await Expect(Cell(page, completed[0].Id(), "runTime")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)? (ms|s)$"));
        await Expect(Cell(page, completed[0].Id(), "finishedAt")).ToHaveTextAsync(new Regex(@"\d{2}:\d{2}:\d{2}"));
        await Expect(page.GetByTestId("throughput")).ToContainTextAsync("2 completed");
        await Expect(page.GetByTestId("throughput")).ToContainTextAsync("1 failed");
        await browser.ScreenshotAsync("jobs-completed");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Failed" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("type=orc&status=failed"));
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Cell(page, failed.Id(), "failedReason")).ToHaveTextAsync("carrier deck missing");
        await Expect(Cell(page, failed.Id(), "attempts")).ToHaveTextAsync("1 / 1");
        await browser.ScreenshotAsync("jobs-failed");
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task SendJobs_ShowTheMailsSubjectAndRecipient()
    {
        using var api = fixture.App.Operator();
        var mail = await api.CreateJobAsync(new
        {
            type = "send",
            delayMs = AnHour,
            payload = new { to = new[] { "alice@example.com" }, subject = "Your invoice for November", text = "Hello" },
        });
        await using var browser = await fixture.OpenAsync();


        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=send&status=delayed");

        var page = browser.Page;
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Subject" })).ToBeVisibleAsync();
        await Expect(Cell(page, mail.Id(), "subject")).ToHaveTextAsync("Your invoice for November");
        await Expect(Cell(page, mail.Id(), "to")).ToHaveTextAsync("alice@example.com");
        await browser.ScreenshotAsync("jobs-send");
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task JobDetail_ShowsPayloadResultProgressAndEveryAttempt_AndClosesBackToTheRow()
    {
        using var api = fixture.App.Operator();
        var job = await api.CreateJobAsync(new
        {
            type = "switch", attempts = 2, backoff = new { kind = "fixed", delayMs = 10 },
            payload = new { durationMs = 30, failTimes = 1, failMessage = "trunk busy" },
        });
        await api.WaitForStatusAsync(job.Id(), "completed");
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=switch");
        var page = browser.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = $"Job {job.Id()}" }).ClickAsync();

        var detail = page.GetByRole(AriaRole.Dialog);
        await Expect(detail).ToBeVisibleAsync();
        await Expect(detail.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync(job.Id());
        await Expect(detail.GetByTestId("detail-status")).ToHaveTextAsync("completed");
        await Expect(detail.GetByLabel("Payload")).ToContainTextAsync("\"failMessage\": \"trunk busy\"");
        await Expect(detail.GetByLabel("Result")).ToContainTextAsync("\"attempt\": 2");
        await Expect(detail.GetByTestId("detail-progress")).ToHaveAttributeAsync("value", "100");
        var attempts = detail.GetByTestId("history").Locator("tbody tr");
        await Expect(attempts).ToHaveCountAsync(2);
        await Expect(attempts.Nth(0)).ToContainTextAsync("trunk busy");
        await Expect(attempts.Nth(1)).ToContainTextAsync("completed");
        await Expect(page).ToHaveURLAsync(new Regex($"job={job.Id()}"));
        await browser.ScreenshotAsync("job-detail");

        await page.Keyboard.PressAsync("Escape");

        await Expect(detail).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Job {job.Id()}" })).ToBeFocusedAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("job="));
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task SearchById_OpensTheJobOfAnyType()
    {
        using var api = fixture.App.Operator();
        var job = await api.CreateJobAsync(new { type = "switch", payload = new { }, delayMs = AnHour });
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=card");

        await browser.Page.GetByLabel("Find by id").FillAsync(job.Id());
        await browser.Page.GetByLabel("Find by id").PressAsync("Enter");

        await Expect(browser.Page.GetByRole(AriaRole.Dialog).GetByTestId("detail-status")).ToHaveTextAsync("delayed");
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task RetryFailedJob_CompletesLiveWithoutReload()
    {
        using var api = fixture.App.Operator();
        var job = await api.CreateJobAsync(new
        {
            type = "siptest", attempts = 1, payload = new { durationMs = 300, failTimes = 1, failMessage = "no answer" },
        });
        await api.WaitForStatusAsync(job.Id(), "failed");
        await using var browser = await fixture.OpenAsync();
        var streams = new List<string>();
        browser.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/events", StringComparison.Ordinal))
            {
                streams.Add(new Uri(request.Url).PathAndQuery);
            }
        };
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=siptest&status=failed");
        var page = browser.Page;
        await page.EvaluateAsync("() => { window.loadedOnce = true; }");
        await ExpectCountsAsync(page, completed: 0, failed: 1, active: 0, delayed: 0, wait: 0);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Job {job.Id()}" }).ClickAsync();
        var detail = page.GetByRole(AriaRole.Dialog);
        await detail.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();

        await Expect(detail.GetByTestId("detail-status")).ToHaveTextAsync("completed", new() { Timeout = 30_000 });
        await Expect(detail.GetByTestId("history").Locator("tbody tr")).ToHaveCountAsync(2);
        await detail.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await ExpectCountsAsync(page, completed: 1, failed: 0, active: 0, delayed: 0, wait: 0);
        await Expect(page.GetByText("No failed jobs.")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.loadedOnce === true"), "the page reloaded");
        Assert.Contains("/api/events?type=siptest", streams);
        Assert.Contains($"/api/jobs/{job.Id()}/events", streams);
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task RetryAllMatching_RetriesEveryFailedJobOfTheFilterThroughABulkJob()
    {
        using var api = fixture.App.Operator();
        var failed = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var job = await api.CreateJobAsync(new { type = "card", tenant = "bulkco", attempts = 1, payload = new { failTimes = 1 } });
            failed.Add(job.Id());
        }

        foreach (var id in failed)
        {
            await api.WaitForStatusAsync(id, "failed");
        }

        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=card&status=failed&tenant=bulkco");
        var page = browser.Page;
        await Expect(Rows(page)).ToHaveCountAsync(2);

        await page.GetByRole(AriaRole.Button, new() { Name = "Retry all matching" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: retry every failed job matching" }).ClickAsync();

        await Expect(page.GetByText("No failed jobs.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Completed" }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        foreach (var id in failed)
        {
            await api.WaitForStatusAsync(id, "completed");
        }

        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task CancelPromoteAndDelete_ChangeTheJobsLive()
    {
        using var api = fixture.App.Operator();
        var toCancel = await api.CreateJobAsync(new { type = "transcribe", payload = new { }, delayMs = AnHour });
        var toPromote = await api.CreateJobAsync(new { type = "transcribe", payload = new { durationMs = 10 }, delayMs = AnHour });
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=transcribe&status=delayed");
        var page = browser.Page;
        var detail = page.GetByRole(AriaRole.Dialog);
        await ExpectCountsAsync(page, completed: 0, failed: 0, active: 0, delayed: 2, wait: 0);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Job {toCancel.Id()}" }).ClickAsync();
        await detail.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(detail.GetByTestId("detail-status")).ToHaveTextAsync("failed");
        await Expect(detail).ToContainTextAsync("cancelled");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = $"Job {toPromote.Id()}" }).ClickAsync();
        await detail.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        await Expect(detail.GetByTestId("detail-status")).ToHaveTextAsync("completed", new() { Timeout = 30_000 });
        await detail.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await ExpectCountsAsync(page, completed: 1, failed: 1, active: 0, delayed: 0, wait: 0);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Failed" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Job {toCancel.Id()}" }).ClickAsync();
        await detail.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await detail.GetByRole(AriaRole.Button, new() { Name = "Confirm delete" }).ClickAsync();

        await Expect(detail).ToBeHiddenAsync();
        await ExpectCountsAsync(page, completed: 1, failed: 0, active: 0, delayed: 0, wait: 0);
        await Expect(page.GetByText("No failed jobs.")).ToBeVisibleAsync();
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task Paging_WalksOlderAndNewerPagesByCursorNeverByOffset()
    {
        using var api = fixture.App.Operator();
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add((await api.CreateJobAsync(new { type = "cdr", payload = new { }, delayMs = AnHour })).Id());
        }

        ids.Reverse();
        await using var browser = await fixture.OpenAsync();
        var listings = new List<string>();
        browser.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/jobs?", StringComparison.Ordinal))
            {
                listings.Add(request.Url);
            }
        };
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=cdr&status=delayed&limit=25");
        var page = browser.Page;
        var older = page.GetByRole(AriaRole.Button, new() { Name = "Older →" });
        var newer = page.GetByRole(AriaRole.Button, new() { Name = "← Newer" });

        await Expect(Rows(page)).ToHaveCountAsync(25);
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-id", ids[0]);
        await Expect(newer).ToBeDisabledAsync();
        await older.ClickAsync();
        await Expect(page.GetByText("Page 2")).ToBeVisibleAsync();
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-id", ids[25]);
        await older.ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(10);
        await Expect(Rows(page).Last).ToHaveAttributeAsync("data-id", ids[59]);
        await Expect(older).ToBeDisabledAsync();
        await newer.ClickAsync();

        await Expect(Rows(page)).ToHaveCountAsync(25);
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-id", ids[25]);
        await browser.ScreenshotAsync("jobs-paging");
        Assert.Contains(listings, url => url.Contains("cursor=", StringComparison.Ordinal));
        Assert.DoesNotContain(listings, url => url.Contains("offset", StringComparison.OrdinalIgnoreCase));
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task Order_OldestFirst_ShowsTheOldestJobOnPageOneAndKeepsTheOrderAcrossPages()
    {
        using var api = fixture.App.Operator();
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await api.CreateJobAsync(new { type = "cdr", payload = new { } })).Id());
        }

        foreach (var id in ids)
        {
            await api.WaitForStatusAsync(id, "completed");
        }

        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=cdr&status=completed&limit=25");
        var page = browser.Page;
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-id", ids[^1]);

        await page.GetByLabel("Order", new() { Exact = true }).SelectOptionAsync("Oldest first");

        await Expect(Rows(page).First).ToHaveAttributeAsync("data-id", ids[0]);
        await Expect(page).ToHaveURLAsync(new Regex("sort=created_asc"));
        await Expect(page.GetByText("Page 1")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Newer →" }).ClickAsync();
        await Expect(page.GetByText("Page 2")).ToBeVisibleAsync();
        await Expect(Rows(page)).ToHaveCountAsync(5);
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-id", ids[25]);
        await Expect(Rows(page).Last).ToHaveAttributeAsync("data-id", ids[29]);
        await page.GetByRole(AriaRole.Button, new() { Name = "← Older" }).ClickAsync();
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-id", ids[0]);

        await page.ReloadAsync();

        await Expect(page.GetByLabel("Order", new() { Exact = true })).ToHaveValueAsync("created_asc");
        await Expect(Rows(page).First).ToHaveAttributeAsync("data-id", ids[0]);
        await browser.ScreenshotAsync("jobs-oldest-first");
        await browser.AssertCleanAsync();
    }

    [Fact]
    public async Task PauseAndResume_ChangeTheQueueForOperators()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(PagesApp.OperatorKey, "/jobs?type=delayed");
        var page = browser.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause queue" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume queue" })).ToBeVisibleAsync();
        await Expect(page.Locator(".type-title .badge.paused")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume queue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause queue" })).ToBeVisibleAsync();
        await Expect(page.Locator(".type-title .badge.paused")).ToBeHiddenAsync();
        await browser.AssertCleanAsync();
    }

    internal static ILocator Rows(IPage page) => page.GetByTestId("jobs-grid").Locator("tbody tr[data-id]");

    internal static ILocator Cell(IPage page, string id, string column) =>
        page.Locator($"[data-testid=jobs-grid] tr[data-id='{id}'] td[data-col='{column}']");

    internal static async Task ExpectCountsAsync(IPage page, int completed, int failed, int active, int delayed, int wait)
    {
        foreach (var (status, count) in new[]
        {
            ("completed", completed), ("failed", failed), ("active", active), ("delayed", delayed), ("wait", wait),
        })
        {
            await Expect(page.GetByTestId($"count-{status}")).ToHaveTextAsync(count.ToString(), new() { Timeout = 30_000 });
        }
    }
}
