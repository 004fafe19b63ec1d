using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Jobs.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Jobs.Tests.Api;

/// <summary>
/// A file several times larger than the API's whole managed heap goes up and comes back down through real HTTP. The
/// API runs as a process of its own with a hard GC heap limit: if anything on the way held the file, that process
/// would run out of memory, and its peak working set is read from the kernel. In one process with the test, the
/// client's buffers share the heap being measured (the factory's default client even copied each upload into memory
/// twice; see <see cref="JobsApp"/>).
/// </summary>
[Collection(FileTransferCollection.Name)]
public sealed class LargeFileTests(LargeFileTests.Api api, ITestOutputHelper output) : IClassFixture<LargeFileTests.Api>
{
    private const long HeapLimit = 256L * 1024 * 1024;
    private const long FileSize = 1024L * 1024 * 1024;

    /// <summary>
    /// The API in a process of its own, its heap capped at <see cref="HeapLimit"/>, taking files of up to exactly
    /// <see cref="FileSize"/>: the test's upload is chunked and right at the limit, so chunk framing must not count.
    /// </summary>
    public sealed class Api : IAsyncLifetime
    {
        public SiloProcess Process { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var server = await PostgresServer.GetAsync();
            var database = await server.CreateDatabaseAsync(nameof(LargeFileTests));
            Process = await SiloProcess.StartApiAsync(database, new Dictionary<string, string>
            {
                ["DOTNET_GCHeapHardLimit"] = $"0x{HeapLimit:X}",
                ["Jobs__Api__MaxFileBytes"] = FileSize.ToString(CultureInfo.InvariantCulture),
            });
        }

        public async Task DisposeAsync() => await Process.DisposeAsync();
    }

    private readonly HttpClient _http = Client(api.Process);

    [Fact]
    public async Task LargeFile_RoundTrip_StreamsThroughAnApiWhoseHeapIsAQuarterOfIt()
    {
        var clock = Stopwatch.StartNew();
        using var sent = new PatternStream(FileSize);

        using var upload = await _http.PostAsync("/api/files", Multipart(sent, "big.bin"));

        var uploaded = clock.Elapsed;
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var file = await upload.ReadJsonAsync();
        Assert.Equal(FileSize, file.GetProperty("length").GetInt64());
        Assert.Equal(sent.Sha256, file.GetProperty("sha256").GetString());
        using var download = await _http.GetAsync(
            $"/api/files/{file.GetProperty("id").GetString()}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        await using var received = await download.Content.ReadAsStreamAsync();
        Assert.Equal(sent.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(received)));
        Assert.False(api.Process.HasExited, $"the API process died:\n{api.Process.Output}");
        var peak = api.Process.PeakWorkingSetBytes;
        output.WriteLine(
            $"upload {uploaded.TotalSeconds:0.0} s, download {(clock.Elapsed - uploaded).TotalSeconds:0.0} s; peak "
            + $"working set: API {peak / 1_048_576} MiB, test process {Environment.WorkingSet / 1_048_576} MiB now");
        Assert.True(peak < FileSize / 2,
            $"the API's peak working set was {peak / 1_048_576} MiB for a {FileSize / 1_048_576} MiB file");
    }

    [Fact]
    public async Task Upload_DeclaredLargerThanTheLimit_Is413BeforeTheBodyIsSent()
    {
        var part = new StreamContent(new PatternStream(FileSize + 1));
        part.Headers.ContentLength = FileSize + 1;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/files")
        {
            Content = Multipart(part, "huge.bin"),
        };
        request.Headers.ExpectContinue = true;

        using var response = await _http.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("File too large", problem.GetProperty("title").GetString());
    }

    private static HttpClient Client(SiloProcess api)
    {
        var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", JobsApp.OperatorKey);
        return http;
    }

    private static MultipartFormDataContent Multipart(Stream content, string name) =>
        Multipart(new StreamContent(content, 64 * 1024), name);

    private static MultipartFormDataContent Multipart(HttpContent part, string name)
    {
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { part, "file", name } };
    }
}

/// <summary>
/// Tests that move hundreds of megabytes through PostgreSQL. They run one class at a time, after the others: beside
/// the parallel fixtures they would compete for the machine and for the test server's connections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FileTransferCollection
{
    public const string Name = "File transfers";
}
