using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

/// <summary>API keys: created by operators, shown once, listed without their secret, revoked for good.</summary>
public sealed class KeyTests(JobsApp app) : IClassFixture<JobsApp>
{
    private readonly HttpClient _operator = app.Operator();

    [Fact]
    public async Task Key_Lifecycle_CreateUseListRevoke()
    {
        var created = await app.CreateKeyAsync("acme");
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("jobs_", key, StringComparison.Ordinal);
        Assert.Equal("acme", created.GetProperty("tenant").GetString());
        Assert.Equal("tenant", created.GetProperty("role").GetString());
        var acme = app.ClientWithKey(key);

        var job = await acme.CreateJobAsync(new { type = "noop", payload = new { } });
        Assert.Equal("acme", job.GetProperty("tenant").GetString());

        var listed = await _operator.GetStringAsync("/api/keys");
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        var row = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal(key[..12], row.GetProperty("prefix").GetString());
        Assert.False(row.TryGetProperty("revokedAt", out _));

        using var revoked = await _operator.DeleteAsync($"/api/keys/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var refused = await acme.GetAsync($"/api/jobs/{job.Id()}");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var after = JsonDocument.Parse(await _operator.GetStringAsync("/api/keys?tenant=acme")).RootElement;
        Assert.True(after.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id).TryGetProperty("revokedAt", out _));
    }

    [Fact]
    public async Task Revoke_SeenByAnotherApiProcess_WithinMoments()
    {
        await using var second = new JobsApp().OnDatabase(app.ConnectionString);
        await second.InitializeAsync();
        var created = await app.CreateKeyAsync("beta");
        var onSecond = second.ClientWithKey(created.GetProperty("key").GetString()!);
        using (var first = await onSecond.GetAsync("/api/queues"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var revoked = await _operator.DeleteAsync($"/api/keys/{created.GetProperty("id").GetString()}");

        await Eventually.Until(async () =>
        {
            using var response = await onSecond.GetAsync("/api/queues");
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(3), "the other API process refuses the revoked key, well before its cache time");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("jobs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Request_WithoutAValidKey_Is401ProblemDetails(string? key)
    {
        var client = key is null ? app.CreateClient() : app.ClientWithKey(key);

        using var response = await client.GetAsync("/api/queues");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TenantKey_CannotManageKeys_403()
    {
        var tenant = await app.ClientForNewKeyAsync("gamma");

        using var create = await tenant.PostAsJsonAsync("/api/keys", new { tenant = "gamma", role = "operator" });
        using var list = await tenant.GetAsync("/api/keys");

        await create.AssertProblemAsync(HttpStatusCode.Forbidden);
        await list.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task OperatorKey_MadeByApi_ActsAsOperator()
    {
        var op = await app.ClientForNewKeyAsync("ops", "operator");

        using var settings = await op.GetAsync("/api/queues/noop/settings");

        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
    }

    [Theory]
    [InlineData("""{"tenant":"acme"}""", "role")]
    [InlineData("""{"role":"tenant"}""", "tenant")]
    [InlineData("""{"tenant":"a b","role":"tenant"}""", "tenant")]
    [InlineData("""{"tenant":"acme","role":"admin"}""", "role")]
    [InlineData("""{"tenant":"acme","role":"tenant","extra":1}""", "extra")]
    [InlineData("""{"tenant":5,"role":"tenant"}""", "tenant")]
    public async Task CreateKey_WithBadFields_NamesTheField(string body, string field)
    {
        using var response = await _operator.PostAsync("/api/keys", ApiCalls.Json(body));

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task RevokeKey_Unknown_Is404()
    {
        using var response = await _operator.DeleteAsync($"/api/keys/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
