using System.Text;
using System.Text.Json;
using Jobs.Files;
using Jobs.JobTypes.Cdr;
using Jobs.JobTypes.Rating;
using Jobs.Tests.Infrastructure;
using Npgsql;

namespace Jobs.Tests.Rating;

/// <summary>
/// The database side of the rating tests: the file store, card store and re-rate store of the product, on the
/// test's database. Files are stored through the product's file store directly (as the API's upload does), so these
/// tests do not depend on the files endpoint.
/// </summary>
public sealed class RatingKit : IAsyncDisposable
{
    public const string Tenant = "default";

    private RatingKit(NpgsqlDataSource dataSource)
    {
        DataSource = dataSource;
        Files = new PostgresFileStore(dataSource);
        Cards = new CardStore(dataSource, new CardCache(Microsoft.Extensions.Options.Options.Create(new RatingOptions())));
        Runs = new CdrRunStore(dataSource);
    }

    public NpgsqlDataSource DataSource { get; }

    public IFileStore Files { get; }

    public CardStore Cards { get; }

    public CdrRunStore Runs { get; }

    public static RatingKit On(string connectionString) => new(NpgsqlDataSource.Create(connectionString));

    public async Task<Guid> UploadAsync(string name, string content, string tenant = Tenant) =>
        await UploadAsync(name, new MemoryStream(Encoding.UTF8.GetBytes(content)), tenant);

    public async Task<Guid> UploadAsync(string name, Stream content, string tenant = Tenant) =>
        (await Files.SaveAsync(tenant, name, "text/csv", content, CancellationToken.None)).Id;

    public async Task<string> DownloadAsync(Guid id, string tenant = Tenant)
    {
        await using var stream = await Files.OpenReadAsync(id, tenant, CancellationToken.None)
            ?? throw new InvalidOperationException($"No file {id}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>A scalar from the test database.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

/// <summary>Helpers for rating jobs over the HTTP API.</summary>
public static class RatingCalls
{
    /// <summary>Creates a job of <paramref name="type"/>, waits until it is completed and returns its result.</summary>
    public static async Task<JsonElement> RunAsync(this HttpClient api, string type, object payload, TimeSpan? timeout = null)
    {
        var created = await api.CreateJobAsync(new { type, payload, attempts = 1 });
        var job = await api.WaitForEndAsync(created.Id(), timeout);
        if (job.Status() != "completed")
        {
            Assert.Fail($"{type} job failed: {job.GetProperty("failedReason")}\n{Logs(job)}");
        }

        return job.GetProperty("result");
    }

    /// <summary>Waits until the job is completed or failed, and returns it.</summary>
    public static async Task<JsonElement> WaitForEndAsync(this HttpClient api, string id, TimeSpan? timeout = null)
    {
        JsonElement job = default;
        await Eventually.Until(async () =>
        {
            job = await api.GetJobAsync(id);
            return job.Status() is "completed" or "failed";
        }, timeout ?? TimeSpan.FromSeconds(60), $"job {id} ends");
        return job;
    }

    /// <summary>The job's log messages, one per line.</summary>
    public static string Logs(JsonElement job) => job.TryGetProperty("logs", out var logs)
        ? string.Join("\n", logs.EnumerateArray().Select(line => line.GetProperty("message").GetString()))
        : "";

    public static Guid Guid(this JsonElement element, string name) => element.GetProperty(name).GetGuid();
}
