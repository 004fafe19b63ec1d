using System.Security.Claims;
using Jobs.Api.Auth;
using Jobs.Api.Http;
using Jobs.Files;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace Jobs.Api.Endpoints;

public static class FileEndpoints
{
    public const string FilePart = "file";

    /// <summary>Room for the multipart boundaries and part headers around the file itself.</summary>
    private const long MultipartOverhead = 64 * 1024;

    /// <summary>Room for chunked framing as a share of the file limit: 1/8 lets chunks be as small as 64 bytes.</summary>
    private const long ChunkedFramingShare = 8;

    public static IEndpointRouteBuilder MapFileEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var files = endpoints.MapGroup("/api/files").WithTags("Files")
            .RequireAuthorization(JobsPolicies.Caller).WithCallerProblems();

        files.MapPost("/", UploadAsync).WithName("UploadFile")
            .WithSummary("Stores a file for the caller's tenant, streamed to the database; returns its id.")
            .WithDescription(
                "Send multipart/form-data with exactly one part, named 'file', carrying a file name. The content streams "
                + "through to PostgreSQL in 1 MiB chunks and is hashed on the way; it is never held in memory whole. "
                + "Jobs refer to files by id (for example mail attachments, rate decks, CDR exports).")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<FileResponse>(StatusCodes.Status201Created)
            .WithValidationProblems().WithProblems(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery();
        files.MapGet("/{id:guid}", DownloadAsync).WithName("DownloadFile")
            .WithSummary("Streams a file back with its content type and name; supports Range requests.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status416RangeNotSatisfiable);
        return endpoints;
    }

    private static async Task<IResult> UploadAsync(
        HttpRequest request, ClaimsPrincipal user, IFileStore store, NpgsqlDataSource dataSource,
        IOptions<ApiLimits> limits, CancellationToken cancellationToken)
    {
        var max = limits.Value.MaxFileBytes;
        if (request.ContentLength > max + MultipartOverhead)
        {
            return TooLarge(max);
        }

        // The file's own bytes are counted exactly as they stream (LimitedReadStream below); the server's limit is
        // only a backstop. Kestrel counts chunked framing against it too (9 bytes per 64 KiB chunk, far more for
        // small chunks), so a chunked upload of a file just under the limit would be refused without the extra room.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = request.ContentLength is null
                ? max + MultipartOverhead + (max / ChunkedFramingShare)
                : max + MultipartOverhead;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
        {
            return Problems.Validation("body", "send multipart/form-data with the file in a part named 'file'");
        }

        try
        {
            return await ReadPartsAsync(request, boundary, user.TenantOf(), store, dataSource, max, cancellationToken);
        }
        catch (LimitedReadStream.TooLargeException)
        {
            return TooLarge(max);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(max);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException
                                          && !cancellationToken.IsCancellationRequested)
        {
            return Problems.Validation("body", "is not well-formed multipart/form-data");
        }
    }

    private static async Task<IResult> ReadPartsAsync(
        HttpRequest request, string boundary, string tenant, IFileStore store, NpgsqlDataSource dataSource, long max,
        CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        if (await reader.ReadNextSectionAsync(cancellationToken) is not { } section)
        {
            return Problems.Validation(FilePart, "is required: a part named 'file' with a file name");
        }

        var part = DescribePart(section, out var problem);
        if (part is null)
        {
            return problem!;
        }

        var stored = await store.SaveAsync(
            tenant, part.Value.Name, part.Value.ContentType, new LimitedReadStream(section.Body, max), cancellationToken);

        // One part only: anything after the file is refused, and the file with it, so nothing half-meant is kept.
        if (await reader.ReadNextSectionAsync(cancellationToken) is not null)
        {
            await DiscardAsync(dataSource, stored.Id);
            return Problems.Validation("body", "send exactly one part, named 'file'");
        }

        return TypedResults.Created($"/api/files/{stored.Id}", FileResponse.From(stored));
    }

    private static (string Name, string ContentType)? DescribePart(MultipartSection section, out IResult? problem)
    {
        problem = null;
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            || !disposition.IsFileDisposition()
            || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, FilePart, StringComparison.Ordinal))
        {
            problem = Problems.Validation(FilePart, "is required: the one part must be named 'file' and carry a file name");
            return null;
        }

        var raw = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
        var name = raw?.Split('/', '\\')[^1] ?? "";
        if (name.Length is 0 or > 255 || name.Any(char.IsControl))
        {
            problem = Problems.Validation($"{FilePart}.fileName", "must be 1 to 255 characters without control characters");
            return null;
        }

        var contentType = section.ContentType ?? "application/octet-stream";
        if (contentType.Length > 255 || contentType.Any(char.IsControl) || !MediaTypeHeaderValue.TryParse(contentType, out _))
        {
            problem = Problems.Validation($"{FilePart}.contentType", "must be a media type such as text/csv, at most 255 characters");
            return null;
        }

        return (name, contentType);
    }

    private static async Task DiscardAsync(NpgsqlDataSource dataSource, Guid id)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM jobs.file WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static async Task<IResult> DownloadAsync(
        Guid id, ClaimsPrincipal user, IFileStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var tenant = user.IsOperator() ? null : user.TenantOf();
        var file = await store.GetAsync(id, tenant, cancellationToken);
        var content = file is null ? null : await store.OpenReadAsync(id, tenant, cancellationToken);
        if (file is null || content is null)
        {
            return Problems.NotFound($"No file {id}.");
        }

        // Stored content is whatever a tenant uploaded: browsers must not sniff it into something runnable.
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers[HeaderNames.ETag] = $"\"{file.Sha256}\"";
        return TypedResults.Stream(content, file.ContentType, file.Name, file.CreatedAt, enableRangeProcessing: true);
    }

    private static IResult TooLarge(long max) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "File too large",
        detail: $"A file may be at most {max:N0} bytes.");
}

/// <summary>A stored file.</summary>
public sealed record FileResponse(
    Guid Id, string Name, string ContentType, long Length, string Sha256, string Tenant, DateTimeOffset CreatedAt)
{
    public static FileResponse From(StoredFile file) =>
        new(file.Id, file.Name, file.ContentType, file.Length, file.Sha256, file.Tenant, file.CreatedAt);
}

/// <summary>Size limits of the API. Section <c>Jobs:Api</c>.</summary>
public sealed class ApiLimits
{
    public const string Section = "Jobs:Api";

    /// <summary>The largest file <c>POST /api/files</c> accepts; larger uploads get 413.</summary>
    public long MaxFileBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
