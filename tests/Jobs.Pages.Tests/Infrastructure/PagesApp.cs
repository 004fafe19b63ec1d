using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Api;
using Jobs.Handlers;
using Jobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Pages.Tests.Infrastructure;

/// <summary>
/// The real API with its embedded silo, listening on a loopback port above 20000 so a real browser can reach it, on a
/// fresh database of the test PostgreSQL server. Types that have no handler in this product yet run the built-in
/// noop handler under their own name, so the page can show every state for them.
/// </summary>
public sealed class PagesApp : WebApplicationFactory<ApiEntryPoint>
{
    public const string OperatorKey = "pages-operator-key-0123456789abcdef";

    /// <summary>Types the tests run with the noop handler (payload: durationMs, failTimes, failMessage).</summary>
    public static readonly IReadOnlyList<string> StandInTypes =
        [JobType.Card, JobType.Cdr, JobType.Orc, JobType.Switch, JobType.SipTest, JobType.Transcribe];

    private readonly string _connectionString;
    private readonly string _customDirectory;

    public PagesApp(string connectionString)
    {
        _connectionString = connectionString;
        _customDirectory = Directory.CreateTempSubdirectory("jobs-pages-custom-").FullName;
        File.WriteAllText(CustomCssFile, ".topbar .brand::after { content: ' · Acme Telecom'; }\n");
        File.WriteAllText(CustomJsFile, """
            document.addEventListener('jobs:ready', () => {
              const note = document.createElement('p');
              note.id = 'operator-extension';
              note.textContent = 'Extended by the operator';
              document.querySelector('.topbar').append(note);
            });
            """);
        Port = FreePort.Pick();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string CustomCssFile => Path.Combine(_customDirectory, "brand.css");

    public string CustomJsFile => Path.Combine(_customDirectory, "extend.js");

    /// <summary>An HTTP client that sends no key and follows no redirect.</summary>
    public HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = BaseAddress,
    };

    /// <summary>An HTTP client with an API key.</summary>
    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public HttpClient Operator() => WithKey(OperatorKey);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Jobs"] = _connectionString,
            ["JOBS_OPERATOR_KEY"] = OperatorKey,
            ["Jobs:Cluster:SiloPort"] = FreePort.Pick().ToString(),
            ["Jobs:Cluster:GatewayPort"] = FreePort.Pick().ToString(),
            ["Jobs:Cluster:ProbeTimeout"] = "00:00:01",
            ["Jobs:Cluster:MissedProbesLimit"] = "2",
            ["Jobs:Engine:AbandonGrace"] = "00:00:00.500",
            ["Jobs:Engine:ShutdownGrace"] = "00:00:02",
            ["Jobs:Engine:ProgressInterval"] = "00:00:00.100",
            ["Jobs:Engine:ProgressPersistInterval"] = "00:00:00.200",
            ["Jobs:Send:DefaultFrom"] = "Jobs <jobs@example.com>",
            ["Jobs:Pages:CustomCss"] = CustomCssFile,
            ["Jobs:Pages:CustomJs"] = CustomJsFile,
            ["Jobs:Pages:RevalidateAfter"] = "00:00:00.250",
            // Every test signs in from 127.0.0.1; the sign-in limit itself is tested in Jobs.Tests (SignInLimitTests).
            ["Jobs:Pages:SignInAttempts"] = "10000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton(provider =>
        {
            var noop = new NoopHandler(provider.GetRequiredService<TimeProvider>());
            var own = provider.GetServices<IJobHandler>().Where(handler => !StandInTypes.Contains(handler.Type));
            return new JobHandlerRegistry(own.Concat(StandInTypes.Select(type => new StandIn(noop, type))));
        }));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Directory.Delete(_customDirectory, recursive: true);
    }

    /// <summary>The noop handler answering for another type.</summary>
    private sealed class StandIn(IJobHandler inner, string type) : IJobHandler
    {
        public string Type => type;

        public PayloadValidation Validate(JsonElement payload) => inner.Validate(payload);

        public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken) =>
            inner.ExecuteAsync(context, cancellationToken);
    }
}

/// <summary>Small helpers for setting up jobs through the API.</summary>
public static class JobsApi
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

    /// <summary>Waits until the job reaches <paramref name="status"/>.</summary>
    public static async Task WaitForStatusAsync(this HttpClient client, string id, string status)
    {
        await Eventually.Until(async () => (await client.GetJobAsync(id)).Status() == status,
            TimeSpan.FromSeconds(30), $"job {id} is {status}");
    }

    public static string Id(this JsonElement job) => job.GetProperty("id").GetString()!;

    public static string Status(this JsonElement job) => job.GetProperty("status").GetString()!;
}
