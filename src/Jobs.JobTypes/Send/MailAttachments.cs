using Jobs.Files;
using Jobs.Handlers;

namespace Jobs.JobTypes.Send;

/// <summary>
/// The files a mail carries, opened from the file store for the job's tenant. The streams are read while the
/// message is written to the SMTP server, so no attachment is held in memory whole.
/// </summary>
internal sealed class MailAttachments : IAsyncDisposable
{
    private readonly List<(StoredFile File, Stream Content)> _files = [];

    public IReadOnlyList<(StoredFile File, Stream Content)> Files => _files;

    /// <summary>Opens every attachment, or returns why the mail cannot be sent with them.</summary>
    public static async Task<(MailAttachments? Attachments, JobOutcome? Failure)> OpenAsync(
        IReadOnlyList<Guid> ids, string tenant, IFileStore? store, long maxBytes, CancellationToken cancellationToken)
    {
        var attachments = new MailAttachments();
        if (ids.Count == 0)
        {
            return (attachments, null);
        }

        if (store is null)
        {
            return (null, JobOutcome.Failed("attachments need a file store, and none is configured on this silo."));
        }

        var files = new List<StoredFile>();
        foreach (var id in ids)
        {
            var file = await store.GetAsync(id, tenant, cancellationToken);
            if (file is null)
            {
                return (null, JobOutcome.FailedPermanently($"attachment {id} is not a file of tenant '{tenant}'."));
            }

            files.Add(file);
        }

        var total = files.Sum(file => file.Length);
        if (total > maxBytes)
        {
            return (null, JobOutcome.FailedPermanently(
                $"the attachments hold {total} bytes together; at most {maxBytes} may be sent in one mail."));
        }

        return await attachments.OpenAllAsync(files, tenant, store, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, content) in _files)
        {
            await content.DisposeAsync();
        }

        _files.Clear();
    }

    private async Task<(MailAttachments?, JobOutcome?)> OpenAllAsync(
        List<StoredFile> files, string tenant, IFileStore store, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var file in files)
            {
                var content = await store.OpenReadAsync(file.Id, tenant, cancellationToken);
                if (content is null)
                {
                    await DisposeAsync();
                    return (null, JobOutcome.FailedPermanently(
                        $"attachment {file.Id} was deleted before the mail was sent."));
                }

                _files.Add((file, content));
            }

            return (this, null);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }
}
