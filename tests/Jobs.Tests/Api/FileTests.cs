using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

/// <summary>
/// Files streamed in and out of PostgreSQL through the API: names, types, limits and malformed uploads. A file larger
/// than the API's whole heap is sent through a separate API process in <see cref="LargeFileTests"/>.
/// </summary>
[Collection(FileTransferCollection.Name)]
public sealed class FileTests(FileTests.App app) : IClassFixture<FileTests.App>
{
    private const long Limit = 130L * 1024 * 1024;

    /// <summary>The API with a file limit that a streamed upload can pass in a few seconds.</summary>
    public sealed class App : JobsApp
    {
        public App()
        {
            With("Jobs:Api:MaxFileBytes", Limit.ToString());
        }
    }

    private readonly HttpClient _operator = app.Operator();

    [Fact]
    public async Task Upload_ThenDownload_GivesTheSameBytesNameAndType()
    {
        var content = Encoding.UTF8.GetBytes("prefix,rate\n4420,0.012\n");
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        using var upload = await _operator.PostAsync("/api/files", new MultipartFormDataContent { { part, "file", "uk deck.csv" } });

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var file = await upload.ReadJsonAsync();
        Assert.Equal("uk deck.csv", file.GetProperty("name").GetString());
        Assert.Equal(content.Length, file.GetProperty("length").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.GetProperty("sha256").GetString());
        using var download = await _operator.GetAsync($"/api/files/{file.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("uk deck.csv", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_OverTheLimit_Is413_AndStoresNothing()
    {
        var before = await app.CountAsync("SELECT count(*) FROM jobs.file");
        var part = new StreamContent(new PatternStream(Limit + 1024 * 1024), 64 * 1024);

        using var upload = await _operator.PostAsync("/api/files", new MultipartFormDataContent { { part, "file", "huge.bin" } });

        await upload.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM jobs.file"));
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM jobs.file_chunk c WHERE NOT EXISTS (SELECT 1 FROM jobs.file f WHERE f.id = c.file_id)"));
    }

    [Fact]
    public async Task Upload_WithoutAFilePart_Is400NamingIt()
    {
        using var wrongName = await _operator.PostAsync("/api/files",
            new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "attachment", "a.bin" } });
        using var notMultipart = await _operator.PostAsync("/api/files", new ByteArrayContent([1, 2, 3]));
        using var twoParts = await _operator.PostAsync("/api/files", new MultipartFormDataContent
        {
            { new ByteArrayContent([1]), "file", "a.bin" },
            { new ByteArrayContent([2]), "file", "b.bin" },
        });

        await wrongName.AssertFieldErrorAsync("file");
        await notMultipart.AssertFieldErrorAsync("body");
        await twoParts.AssertFieldErrorAsync("body");
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM jobs.file WHERE name IN ('a.bin', 'b.bin')"));
    }

    [Fact]
    public async Task Download_UnknownFile_Is404()
    {
        using var response = await _operator.GetAsync($"/api/files/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
