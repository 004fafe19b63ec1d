using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jobs.Tests.Infrastructure;

/// <summary>
/// The API with its embedded silo, on a fresh database of the test PostgreSQL server, with ports of its own.
/// Engine timings are shortened where waiting would only slow tests down.
/// </summary>
public class JobsApp : WebApplicationFactory<ApiEntryPoint>, IAsyncLifetime
{
    public const string OperatorKey = "test-operator-key-0123456789";

    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);

    public JobsApp()
    {
        // Following redirects, the factory's client copies every POST and PUT body into two memory streams first, in
        // case it has to send it again: a streamed upload would sit in this process's memory twice. The API answers
        // no request with a redirect that a test means to follow.
        ClientOptions.AllowAutoRedirect = false;
    }

    public string ConnectionString { get; private set; } = "";

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Adds or overrides a configuration value before the app starts.</summary>
    public JobsApp With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public virtual async Task InitializeAsync()
    {
        if (ConnectionString.Length == 0)
        {
            var server = await PostgresServer.GetAsync();
            ConnectionString = await server.CreateDatabaseAsync(GetType().Name);
        }

        // Starting the host now keeps the first test from paying for it inside its own timeouts.
        _ = Server;
        await Eventually.Until(async () => (await CreateClient().GetAsync("/health/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "the app is ready");
    }

    /// <summary>Uses an existing database (for restart tests) instead of a fresh one.</summary>
    public JobsApp OnDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        return this;
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();

        // The Orleans providers open connections through Npgsql's process-wide pools, which outlive the app: closed
        // here, so the idle connections of finished test classes do not add up to the server's connection limit.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A client that sends the operator key.</summary>
    public HttpClient Operator()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Jobs"] = ConnectionString,
            ["JOBS_OPERATOR_KEY"] = OperatorKey,
            ["Jobs:Cluster:SiloPort"] = FreePort.Pick().ToString(),
            ["Jobs:Cluster:GatewayPort"] = FreePort.Pick().ToString(),
            ["Jobs:Cluster:ProbeTimeout"] = "00:00:01",
            ["Jobs:Cluster:MissedProbesLimit"] = "2",
            ["Jobs:Engine:AbandonGrace"] = "00:00:00.500",
            ["Jobs:Engine:ShutdownGrace"] = "00:00:02",
            ["Jobs:Engine:ProgressInterval"] = "00:00:00.100",
            ["Jobs:Engine:ProgressPersistInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in defaults.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>Small helpers for talking to the API in tests.</summary>
public static class ApiCalls
{
    public static async Task<JsonElement> CreateJobAsync(this HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/api/jobs", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"create failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJobAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/api/jobs/{id}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"get failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Waits until the job reaches <paramref name="status"/> and returns it then. A 503 (a silo going down, not yet
    /// declared dead) is what clients are told to retry, so the wait retries it too.
    /// </summary>
    public static async Task<JsonElement> WaitForStatusAsync(this HttpClient client, string id, string status, TimeSpan? timeout = null)
    {
        JsonElement job = default;
        await Eventually.Until(async () =>
        {
            using var response = await client.GetAsync($"/api/jobs/{id}");
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
            {
                return false;
            }

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"get failed: {(int)response.StatusCode} {body}");
            job = JsonDocument.Parse(body).RootElement.Clone();
            return job.GetProperty("status").GetString() == status;
        }, timeout ?? TimeSpan.FromSeconds(30), $"job {id} is {status} (last seen {Describe(job)})");
        return job;
    }

    public static string Id(this JsonElement job) => job.GetProperty("id").GetString()!;

    public static string Status(this JsonElement job) => job.GetProperty("status").GetString()!;

    public static StringContent Json(string text) => new(text, new MediaTypeHeaderValue("application/json"));

    private static string Describe(JsonElement job) =>
        job.ValueKind == JsonValueKind.Object ? job.GetProperty("status").GetString() ?? "?" : "nothing";
}
