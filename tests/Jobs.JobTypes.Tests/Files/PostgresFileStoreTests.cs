using System.Security.Cryptography;
using Jobs.Files;
using Jobs.JobTypes.Tests.Infrastructure;
using Jobs.Tests.Infrastructure;
using Npgsql;

namespace Jobs.JobTypes.Tests.Files;

public sealed class PostgresFileStoreTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private PostgresFileStore _store = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await FilesDatabase.CreateAsync("files");
        _store = new PostgresFileStore(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task GetAsync_WhenAnotherTenantAsks_ReturnsNull()
    {
        var saved = await SaveAsync("acme", new byte[] { 1, 2, 3 });

        var ownFile = await _store.GetAsync(saved.Id, "acme", default);
        var otherFile = await _store.GetAsync(saved.Id, "globex", default);
        var otherStream = await _store.OpenReadAsync(saved.Id, "globex", default);
        var operatorFile = await _store.GetAsync(saved.Id, tenant: null, default);

        Assert.Equal(saved, ownFile);
        Assert.Null(otherFile);
        Assert.Null(otherStream);
        Assert.Equal(saved, operatorFile);
    }

    [Fact]
    public async Task GetAsync_WhenIdIsUnknown_ReturnsNull()
    {
        var file = await _store.GetAsync(Guid.NewGuid(), "acme", default);
        var stream = await _store.OpenReadAsync(Guid.NewGuid(), null, default);

        Assert.Null(file);
        Assert.Null(stream);
    }

    [Fact]
    public async Task SaveAsync_WhenContentSpansChunks_DescribesItAndReadsItBack()
    {
        var content = RandomNumberGenerator.GetBytes((PostgresFileStore.ChunkSize * 2) + 12_345);

        var saved = await SaveAsync("acme", content, "deck.csv", "text/csv");
        await using var stream = await _store.OpenReadAsync(saved.Id, "acme", default);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);

        Assert.Equal("acme", saved.Tenant);
        Assert.Equal("deck.csv", saved.Name);
        Assert.Equal("text/csv", saved.ContentType);
        Assert.Equal(content.Length, saved.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), saved.Sha256);
        Assert.Equal(content.Length, stream.Length);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task OpenReadAsync_WhenSeekingAcrossChunks_ReadsFromTheNewPosition()
    {
        var content = RandomNumberGenerator.GetBytes((PostgresFileStore.ChunkSize * 2) + 100);
        var saved = await SaveAsync("acme", content);
        await using var stream = await _store.OpenReadAsync(saved.Id, "acme", default);
        var buffer = new byte[200];

        stream!.Seek(PostgresFileStore.ChunkSize - 100, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(buffer);
        stream.Position = 10;
        var first = stream.ReadByte();
        stream.Seek(-1, SeekOrigin.End);
        var last = stream.ReadByte();
        var afterEnd = stream.ReadByte();

        Assert.Equal(content.AsSpan(PostgresFileStore.ChunkSize - 100, 200).ToArray(), buffer);
        Assert.Equal(content[10], first);
        Assert.Equal(content[^1], last);
        Assert.Equal(-1, afterEnd);
    }

    [Fact]
    public async Task SaveAsync_WhenContentIsEmpty_StoresAnEmptyFile()
    {
        var saved = await SaveAsync("acme", []);
        await using var stream = await _store.OpenReadAsync(saved.Id, "acme", default);

        Assert.Equal(0, saved.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty)), saved.Sha256);
        Assert.Equal(-1, stream!.ReadByte());
    }

    [Fact]
    public async Task SaveAsync_WhenContentFailsMidway_LeavesNothingBehind()
    {
        var failing = new FailingStream(new PatternStream(10L * PostgresFileStore.ChunkSize), failAfter: 3_500_000);

        var error = await Assert.ThrowsAsync<IOException>(
            () => _store.SaveAsync("acme", "partial.bin", "application/octet-stream", failing, default));

        Assert.Equal("the upload broke", error.Message);
        Assert.Equal(0L, await CountAsync("jobs.file"));
        Assert.Equal(0L, await CountAsync("jobs.file_chunk"));
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("report\r\nBcc: x@example.com", "name")]
    public async Task SaveAsync_WhenNameIsBad_RefusesNamingTheParameter(string name, string parameter)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => _store.SaveAsync("acme", name, "text/plain", new MemoryStream([1]), default));

        Assert.Equal(parameter, error.ParamName);
    }

    private async Task<StoredFile> SaveAsync(
        string tenant, byte[] content, string name = "file.bin", string contentType = "application/octet-stream")
    {
        using var stream = new MemoryStream(content);
        return await _store.SaveAsync(tenant, name, contentType, stream, default);
    }

    private async Task<long> CountAsync(string table)
    {
        await using var command = _dataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Passes bytes through until <paramref name="failAfter"/>, then throws as a broken upload would.</summary>
    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= failAfter)
            {
                throw new IOException("the upload broke");
            }

            var read = inner.Read(buffer, offset, (int)Math.Min(count, failAfter - _read));
            _read += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
