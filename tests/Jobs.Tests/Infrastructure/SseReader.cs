using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Jobs.Tests.Infrastructure;

/// <summary>Reads a text/event-stream response into events as they arrive.</summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();
    private readonly Task _reading;

    private SseReader(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    public static async Task<SseReader> OpenAsync(HttpClient client, string path, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString());
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"stream {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(response);
    }

    /// <summary>The next event that is not a heartbeat, or a failed test after <paramref name="timeout"/>.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(wait.Token);
                if (e.Type != "heartbeat")
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("no event arrived in time");
            throw;
        }
    }

    /// <summary>Events until one satisfies <paramref name="last"/>, that one included.</summary>
    public async Task<List<SseEvent>> UntilAsync(Func<SseEvent, bool> last, TimeSpan? timeout = null)
    {
        var seen = new List<SseEvent>();
        while (true)
        {
            var e = await NextAsync(timeout);
            seen.Add(e);
            if (last(e))
            {
                return seen;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? id = null, type = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        _events.Writer.TryWrite(new SseEvent(id, type ?? "message", JsonDocument.Parse(data.ToString()).RootElement.Clone()));
                    }

                    (id, type) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line.AsSpan(6));
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}

/// <summary>One server-sent event.</summary>
public sealed record SseEvent(string? Id, string Type, JsonElement Data)
{
    public long Seq => long.Parse(Id!);

    public string JobId => Data.GetProperty("jobId").GetString()!;

    public JsonElement Body => Data.GetProperty("data");
}
