using System.Security.Cryptography;
using Jobs.Files;
using Jobs.JobTypes.Tests.Infrastructure;
using Jobs.Tests.Infrastructure;

namespace Jobs.JobTypes.Tests.Files;

/// <summary>Measures allocations, so nothing else may run at the same time.</summary>
[CollectionDefinition(nameof(LargeFileTests), DisableParallelization = true)]
public sealed class LargeFileCollection;

[Collection(nameof(LargeFileTests))]
public sealed class LargeFileTests
{
    private const long FileLength = 200L * 1024 * 1024;

    // Generous for one 1 MiB chunk buffer, Npgsql's buffers and per-chunk query objects; a fraction of the file.
    private const long AllocationBudget = 24L * 1024 * 1024;

    [Fact]
    public async Task SaveAndOpenRead_When200MiBFile_RoundTripsTheHashWithoutHoldingTheFileInMemory()
    {
        await using var dataSource = await FilesDatabase.CreateAsync("largefile");
        var store = new PostgresFileStore(dataSource);
        using var source = new PatternStream(FileLength);
        using var readHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81_920];

        var beforeSave = GC.GetTotalAllocatedBytes(precise: true);
        var saved = await store.SaveAsync("acme", "cdrs.csv", "text/csv", source, default);
        var saveAllocated = GC.GetTotalAllocatedBytes(precise: true) - beforeSave;

        var beforeRead = GC.GetTotalAllocatedBytes(precise: true);
        long readLength = 0;
        await using (var stream = await store.OpenReadAsync(saved.Id, "acme", default))
        {
            int read;
            while ((read = await stream!.ReadAsync(buffer)) > 0)
            {
                readHash.AppendData(buffer, 0, read);
                readLength += read;
            }
        }

        var readAllocated = GC.GetTotalAllocatedBytes(precise: true) - beforeRead;

        Assert.Equal(FileLength, saved.Length);
        Assert.Equal(source.Sha256, saved.Sha256);
        Assert.Equal(FileLength, readLength);
        Assert.Equal(source.Sha256, Convert.ToHexStringLower(readHash.GetHashAndReset()));
        Assert.True(saveAllocated < AllocationBudget, $"Saving allocated {saveAllocated:N0} bytes.");
        Assert.True(readAllocated < AllocationBudget, $"Reading allocated {readAllocated:N0} bytes.");
    }
}
