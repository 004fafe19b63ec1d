using System.Net.Http.Headers;
using System.Text;
using Jobs.Handlers;
using Microsoft.Extensions.Logging;

namespace Jobs.JobTypes.Delayed;

/// <summary>
/// Sends an <see cref="HttpAction"/> and turns the answer into an outcome.
/// </summary>
/// <remarks>
/// A 2xx completes with <c>{"status", "body"}</c>: the first <see cref="DelayedOptions.MaxResultBodyBytes"/>
/// bytes of the body as text, with <c>"truncated": true</c> when there was more (the rest is not read).
/// Redirects are not followed: a 3xx fails permanently, naming its Location, so a request can never be bounced
/// to a host the operator did not allow. Retried: 408, 429, 5xx, timeouts and connection failures, honouring a
/// Retry-After up to <see cref="DelayedOptions.MaxRetryAfter"/>. Not retried: other 4xx, and refused hosts.
/// </remarks>
internal sealed partial class HttpActionRunner(
    HttpClient client, DelayedOptions options, TimeProvider clock, ILogger logger)
{
    public async Task<JobOutcome> RunAsync(HttpAction action, JobContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        using var request = BuildRequest(action);
        LogSending(context.JobId, action.Method.Method, action.Url.Host);
        try
        {
            using var response = await client.SendAsync(
                request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var (body, truncated) = await ReadBodyAsync(response, timeout.Token);
            return ToOutcome(response, body, truncated, context);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return JobOutcome.Failed(
                $"the HTTP request to {action.Url.Host} timed out after {options.RequestTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException exception) when (FindRefusal(exception) is { } refusal)
        {
            return JobOutcome.FailedPermanently(refusal.Message);
        }
        catch (HttpRequestException exception)
        {
            return JobOutcome.Failed($"the HTTP request to {action.Url.Host} failed: {Innermost(exception)}");
        }
    }

    private static HttpRequestMessage BuildRequest(HttpAction action)
    {
        var request = new HttpRequestMessage(action.Method, action.Url);
        if (action.Body is not null)
        {
            request.Content = new StringContent(action.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(action.ContentType!);
        }

        foreach (var (name, value) in action.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private async Task<(string Body, bool Truncated)> ReadBodyAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = options.MaxResultBodyBytes;
        var buffer = new byte[limit + 1];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        var truncated = read > limit;
        var kept = truncated ? Utf8Prefix(buffer.AsSpan(0, limit)) : buffer.AsSpan(0, read);
        return (Encoding.UTF8.GetString(kept), truncated);
    }

    /// <summary>Cuts a truncated body before a UTF-8 sequence that the cut split.</summary>
    private static ReadOnlySpan<byte> Utf8Prefix(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        var back = 0;
        while (end > 0 && back < 4 && (bytes[end - 1] & 0xC0) == 0x80)
        {
            end--;
            back++;
        }

        // end - 1 is now a lead byte (or ASCII); keep it only if its whole sequence fits.
        if (end > 0 && bytes[end - 1] >= 0xC0)
        {
            var length = bytes[end - 1] >= 0xF0 ? 4 : bytes[end - 1] >= 0xE0 ? 3 : 2;
            return length == back + 1 ? bytes : bytes[..(end - 1)];
        }

        return bytes;
    }

    private JobOutcome ToOutcome(HttpResponseMessage response, string body, bool truncated, JobContext context)
    {
        var status = (int)response.StatusCode;
        LogAnswered(context.JobId, status);
        if (status is >= 200 and < 300)
        {
            return JobOutcome.Completed(DelayedResults.Http(status, body, truncated));
        }

        var reason = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        if (body.Length > 0)
        {
            context.Log($"{reason}: {(body.Length > 500 ? body[..500] + "…" : body)}", "error");
        }

        if (status is >= 300 and < 400)
        {
            var location = response.Headers.Location is { } target ? $" to {target}" : "";
            return JobOutcome.FailedPermanently($"{reason}: redirected{location}; redirects are not followed.");
        }

        if (status is 408 or 429 or >= 500)
        {
            return RetryAfter(response) is { } at ? JobOutcome.RetryAt(at, reason) : JobOutcome.Failed(reason);
        }

        return JobOutcome.FailedPermanently(reason);
    }

    private DateTimeOffset? RetryAfter(HttpResponseMessage response)
    {
        var now = clock.GetUtcNow();
        var header = response.Headers.RetryAfter;
        var at = header?.Delta is { } delta ? now + delta : header?.Date;
        return at is { } when && when > now && when - now <= options.MaxRetryAfter ? when : null;
    }

    private static HostNotAllowedException? FindRefusal(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HostNotAllowedException refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    private static string Innermost(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == exception ? exception.Message : $"{exception.Message} ({inner.Message})";
    }
}
