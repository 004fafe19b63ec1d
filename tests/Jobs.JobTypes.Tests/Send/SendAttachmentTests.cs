using System.Security.Cryptography;
using Jobs.Files;
using Jobs.JobTypes.Tests.Infrastructure;
using MimeKit;
using Npgsql;
using static Jobs.JobTypes.Tests.Send.SendTestKit;

namespace Jobs.JobTypes.Tests.Send;

public sealed class SendAttachmentTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private PostgresFileStore _files = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await FilesDatabase.CreateAsync("sendfiles");
        _files = new PostgresFileStore(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_WithAttachments_TheyArriveIntactWithNamesAndTypes()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var recording = await SaveAsync(Tenant, "call 0042.wav", "audio/wav", RandomNumberGenerator.GetBytes(3_300_000));
        var deck = await SaveAsync(Tenant, "rates.csv", "text/csv", "prefix,rate\n4420,0.012\n"u8.ToArray());

        var outcome = await Handler(smtp.Port, _files).ExecuteAsync(Attempt(new
        {
            to = "ann@customer.example",
            subject = "Your files",
            text = "Two files attached.",
            attachments = new[] { recording.Id, deck.Id },
        }), default);

        AssertCompleted(outcome);
        var parts = Assert.Single(smtp.Received).Message.Attachments.Cast<MimePart>().ToList();
        Assert.Equal(2, parts.Count);
        Assert.Equal(["call 0042.wav", "rates.csv"], parts.Select(part => part.FileName));
        Assert.Equal(["audio/wav", "text/csv"], parts.Select(part => part.ContentType.MimeType));
        Assert.Equal([recording.Sha256, deck.Sha256], parts.Select(HashOf));
    }

    [Fact]
    public async Task ExecuteAsync_WhenAttachmentBelongsToAnotherTenant_FailsPermanentlyAndSendsNothing()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var foreign = await SaveAsync("globex", "secret.csv", "text/csv", "a,b\n"u8.ToArray());

        var outcome = await Handler(smtp.Port, _files).ExecuteAsync(Attempt(new
        {
            to = "ann@customer.example",
            subject = "Files",
            text = "Attached.",
            attachments = new[] { foreign.Id },
        }), default);

        var failure = AssertFailed(outcome, permanent: true);
        Assert.Equal($"attachment {foreign.Id} is not a file of tenant 'acme'.", failure.Reason);
        Assert.Empty(smtp.Received);
    }

    [Fact]
    public async Task ExecuteAsync_WhenAttachmentsExceedTheLimit_FailsPermanentlyNamingTheSizes()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var big = await SaveAsync(Tenant, "big.bin", "application/octet-stream", new byte[2048]);
        var handler = Handler(smtp.Port, _files, options => options.MaxAttachmentBytes = 1024);

        var outcome = await handler.ExecuteAsync(Attempt(new
        {
            to = "ann@customer.example",
            subject = "Files",
            text = "Attached.",
            attachments = new[] { big.Id },
        }), default);

        var failure = AssertFailed(outcome, permanent: true);
        Assert.Equal("the attachments hold 2048 bytes together; at most 1024 may be sent in one mail.", failure.Reason);
        Assert.Empty(smtp.Received);
    }

    private async Task<StoredFile> SaveAsync(string tenant, string name, string type, byte[] content)
    {
        using var stream = new MemoryStream(content);
        return await _files.SaveAsync(tenant, name, type, stream, default);
    }

    private static string HashOf(MimePart part)
    {
        using var decoded = new MemoryStream();
        part.Content!.DecodeTo(decoded);
        return Convert.ToHexStringLower(SHA256.HashData(decoded.ToArray()));
    }
}
