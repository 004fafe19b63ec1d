namespace Jobs.Files;

/// <summary>
/// Files that jobs read and write (rate decks, call records, recordings, reports), stored in PostgreSQL and owned by
/// a tenant like jobs are. Contents are streamed in both directions; nothing holds a whole file in memory.
/// </summary>
public interface IFileStore
{
    /// <summary>Stores <paramref name="content"/> for <paramref name="tenant"/> and returns its description.</summary>
    Task<StoredFile> SaveAsync(
        string tenant, string name, string contentType, Stream content, CancellationToken cancellationToken);

    /// <summary>The file's description, or null when it does not exist or belongs to another tenant.</summary>
    /// <param name="tenant">The caller's tenant; null reads any tenant's file (operators and the engine).</param>
    Task<StoredFile?> GetAsync(Guid id, string? tenant, CancellationToken cancellationToken);

    /// <summary>Opens the file's content for reading, or null as for <see cref="GetAsync"/>. Dispose the stream.</summary>
    Task<Stream?> OpenReadAsync(Guid id, string? tenant, CancellationToken cancellationToken);
}

/// <summary>A stored file's description.</summary>
[GenerateSerializer, Immutable, Alias("Jobs.StoredFile")]
public sealed record StoredFile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string Name,
    [property: Id(3)] string ContentType,
    [property: Id(4)] long Length,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] string Sha256);
