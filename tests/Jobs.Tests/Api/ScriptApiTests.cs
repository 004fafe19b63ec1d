using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

/// <summary>Scripts stored, versioned and read back over HTTP, on real PostgreSQL.</summary>
public sealed class ScriptApiTests(JobsApp app) : IClassFixture<JobsApp>
{
    [Fact]
    public async Task CreateScript_ThenAddVersion_ReadsEveryVersionAndTheLatest()
    {
        var client = await app.ClientForNewKeyAsync("scripts-versions");

        using var created = await client.PostAsJsonAsync("/api/scripts", new { name = "rates", source = "1 + 1" });
        var script = await ReadAsync(created, HttpStatusCode.Created);
        var id = script.Id();
        using var added = await client.PostAsJsonAsync(
            $"/api/scripts/{id}/versions", new { source = "function main() { return 2 }" });
        var second = await ReadAsync(added, HttpStatusCode.Created);
        var latest = await client.GetFromJsonAsync<JsonElement>($"/api/scripts/{id}");
        var first = await client.GetFromJsonAsync<JsonElement>($"/api/scripts/{id}/versions/1");

        Assert.Equal(("rates", 1, "scripts-versions"), (Name(script), Version(script), Tenant(script)));
        Assert.Equal($"/api/scripts/{id}", created.Headers.Location?.OriginalString);
        Assert.False(script.TryGetProperty("source", out _));
        Assert.Equal((id, 2), (second.Id(), Version(second)));
        Assert.Equal((2, "function main() { return 2 }"), (Version(latest), latest.GetProperty("source").GetString()));
        Assert.Equal([(1, 5), (2, 28)], latest.GetProperty("versions").EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("length").GetInt32())));
        Assert.Equal((1, "1 + 1"), (Version(first), first.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task CreateJob_ForAScriptTheTenantDoesNotHave_Answers400OnScriptId()
    {
        var owner = await app.ClientForNewKeyAsync("scripts-owner");
        var other = await app.ClientForNewKeyAsync("scripts-other");
        using var created = await owner.PostAsJsonAsync("/api/scripts", new { name = "mine", source = "40 + 2" });
        var script = await ReadAsync(created, HttpStatusCode.Created);

        using var theirs = await other.PostAsJsonAsync("/api/jobs", new { type = "scriptforge", payload = new { scriptId = script.Id() } });
        using var noVersion = await owner.PostAsJsonAsync(
            "/api/jobs", new { type = "scriptforge", payload = new { scriptId = script.Id(), version = 9 } });
        using var mine = await owner.PostAsJsonAsync("/api/jobs", new { type = "scriptforge", payload = new { scriptId = script.Id() } });

        foreach (var refused in new[] { theirs, noVersion })
        {
            var problem = await ReadAsync(refused, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("payload.scriptId", out _), problem.ToString());
        }

        var job = await ReadAsync(mine, HttpStatusCode.Created);
        Assert.Equal("42", (await owner.WaitForStatusAsync(job.Id(), "completed")).GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task CreateDelayedJob_ThatWouldCreateAJobForAMissingScript_Answers400OnTheInnerScriptId()
    {
        var client = await app.ClientForNewKeyAsync("scripts-delayed");

        using var response = await client.PostAsJsonAsync("/api/jobs", new
        {
            type = "delayed",
            delayMs = 60_000,
            payload = new { job = new { type = "scriptforge", payload = new { scriptId = Guid.NewGuid() } } },
        });

        var problem = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("payload.job.payload.scriptId", out _), problem.ToString());
    }

    [Fact]
    public async Task CreateScript_WithASyntaxError_Answers400WithLineAndColumn_AndStoresNothing()
    {
        var client = await app.ClientForNewKeyAsync("scripts-syntax");

        var source = "let a = 1;\nlet b = ;\n";

        using var response = await client.PostAsJsonAsync("/api/scripts", new { name = "broken", source });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var error = problem.GetProperty("errors").GetProperty("source")[0].GetString();
        Assert.StartsWith("SyntaxError:", error, StringComparison.Ordinal);
        Assert.Contains("(line 2, column 9)", error, StringComparison.Ordinal);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/scripts");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task AddVersion_WithASyntaxError_Answers400_AndKeepsTheLatestVersion()
    {
        var client = await app.ClientForNewKeyAsync("scripts-bad-version");
        var id = (await CreateAsync(client, "keep", "1")).Id();

        using var response = await client.PostAsJsonAsync($"/api/scripts/{id}/versions", new { source = "}" });

        await response.AssertFieldErrorAsync("source");
        Assert.Equal(1, Version(await client.GetFromJsonAsync<JsonElement>($"/api/scripts/{id}")));
    }

    [Fact]
    public async Task CreateScript_WhenTheNameIsTaken_Answers409NamingTheScript()
    {
        var client = await app.ClientForNewKeyAsync("scripts-conflict");
        var id = (await CreateAsync(client, "daily", "1")).Id();

        using var again = await client.PostAsJsonAsync("/api/scripts", new { name = "daily", source = "2" });

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"/api/scripts/{id}/versions", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, Version(await client.GetFromJsonAsync<JsonElement>($"/api/scripts/{id}")));
    }

    [Fact]
    public async Task CreateScript_WithMissingOrBadFields_NamesThem()
    {
        var client = await app.ClientForNewKeyAsync("scripts-fields");

        using var empty = await client.PostAsync("/api/scripts", ApiCalls.Json("{}"));
        using var spaced = await client.PostAsJsonAsync("/api/scripts", new { name = " x", source = "1" });
        using var unknown = await client.PostAsync("/api/scripts", ApiCalls.Json("""{"name":"x","source":"1","lang":"js"}"""));

        var errors = (await empty.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _) && errors.TryGetProperty("source", out _), errors.ToString());
        await spaced.AssertFieldErrorAsync("name");
        await unknown.AssertFieldErrorAsync("lang");
    }

    [Fact]
    public async Task ListScripts_PagesInCreationOrder_AndOperatorsSeeEveryTenant()
    {
        var client = await app.ClientForNewKeyAsync("scripts-pages");
        var ids = new List<string>();
        foreach (var name in new[] { "c", "a", "b" })
        {
            ids.Add((await CreateAsync(client, name, "1")).Id());
        }

        var first = await client.GetFromJsonAsync<JsonElement>("/api/scripts?limit=2");
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/scripts?limit=2&cursor={cursor}");
        var asOperator = await app.Operator().GetFromJsonAsync<JsonElement>("/api/scripts?tenant=scripts-pages&limit=100");
        var operatorRead = await app.Operator().GetFromJsonAsync<JsonElement>($"/api/scripts/{ids[0]}");

        Assert.Equal(ids, Ids(first).Concat(Ids(second)));
        Assert.False(second.TryGetProperty("nextCursor", out _));
        Assert.Equal(ids, Ids(asOperator));
        Assert.Equal("scripts-pages", Tenant(operatorRead));
    }

    [Fact]
    public async Task Operator_StoresAScriptForATenant_WhichTheTenantThenSees()
    {
        var tenant = await app.ClientForNewKeyAsync("scripts-for");

        using var created = await app.Operator().PostAsJsonAsync(
            "/api/scripts", new { name = "ops", source = "1", tenant = "scripts-for" });

        var script = await ReadAsync(created, HttpStatusCode.Created);
        Assert.Equal("scripts-for", Tenant(script));
        Assert.Equal("ops", Name(await tenant.GetFromJsonAsync<JsonElement>($"/api/scripts/{script.Id()}")));
    }

    [Theory]
    [InlineData("/api/scripts/{0}/versions/0")]
    [InlineData("/api/scripts/{0}/versions/2")]
    [InlineData("/api/scripts/{1}")]
    [InlineData("/api/scripts/{1}/versions/1")]
    public async Task GetScript_UnknownScriptOrVersion_Answers404(string route)
    {
        var client = await app.ClientForNewKeyAsync("scripts-missing");
        var id = (await CreateAsync(client, "only-" + Guid.NewGuid(), "1")).Id();

        using var response = await client.GetAsync(string.Format(route, id, Guid.NewGuid()));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    internal static async Task<JsonElement> CreateAsync(HttpClient client, string name, string source)
    {
        using var response = await client.PostAsJsonAsync("/api/scripts", new { name, source });
        return await ReadAsync(response, HttpStatusCode.Created);
    }

    internal static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(s => s.Id());

    private static string? Name(JsonElement script) => script.GetProperty("name").GetString();

    private static string? Tenant(JsonElement script) => script.GetProperty("tenant").GetString();

    private static int Version(JsonElement script) => script.GetProperty("version").GetInt32();
}
