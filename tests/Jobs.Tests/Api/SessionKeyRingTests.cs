using System.Net;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

/// <summary>The data protection key ring lives in PostgreSQL, so every API process accepts every process's sessions.</summary>
public sealed class SessionKeyRingTests(JobsApp app) : IClassFixture<JobsApp>
{
    [Fact]
    public async Task SessionCookie_IssuedByOneProcess_IsAcceptedByASecondOnTheSameDatabase()
    {
        var cookie = await app.SignInAsync(JobsApp.OperatorKey);
        await using var second = new JobsApp().OnDatabase(app.ConnectionString);
        await second.InitializeAsync();
        using var client = second.Browserless();

        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/queues") { Headers = { { "Cookie", cookie } } };
        using var apiResponse = await client.SendAsync(api);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/jobs") { Headers = { { "Cookie", cookie } } };
        using var pageResponse = await client.SendAsync(page);

        Assert.Equal(HttpStatusCode.OK, apiResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
        Assert.True(await app.CountAsync("SELECT count(*) FROM jobs.data_protection_keys") >= 1);
    }

    [Fact]
    public async Task SessionCookie_FromAnotherKeyRing_IsRefused()
    {
        var cookie = await app.SignInAsync(JobsApp.OperatorKey);
        await using var elsewhere = new JobsApp();
        await elsewhere.InitializeAsync();
        using var client = elsewhere.Browserless();

        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/queues") { Headers = { { "Cookie", cookie } } };
        using var response = await client.SendAsync(api);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
