using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using SmtpServerHost = SmtpServer.SmtpServer;

namespace Jobs.JobTypes.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port the system picks. It keeps every message it
/// accepts and answers each recipient as <c>recipientReply</c> says: null accepts, a reply refuses with it.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private TestSmtpServer()
    {
    }

    public int Port { get; private set; }

    public IReadOnlyList<ReceivedMail> Received => _received.ToArray();

    public static async Task<TestSmtpServer> StartAsync(
        Func<string, SmtpResponse?>? recipientReply = null, SmtpResponse? dataReply = null)
    {
        var server = new TestSmtpServer();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new RecipientFilter(recipientReply ?? (_ => null)));
        services.Add(new CapturingStore(server._received, dataReply));

        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        server._running = new SmtpServerHost(options, services).StartAsync(server._stop.Token);
        server.Port = await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed class RecipientFilter(Func<string, SmtpResponse?> reply) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken token) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken token)
        {
            var refusal = reply($"{to.User}@{to.Host}");
            return refusal is null ? Task.FromResult(true) : throw new SmtpResponseException(refusal);
        }
    }

    private sealed class CapturingStore(ConcurrentQueue<ReceivedMail> received, SmtpResponse? dataReply) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken token)
        {
            if (dataReply is not null)
            {
                return dataReply;
            }

            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, token);
            var recipients = transaction.To.Select(to => $"{to.User}@{to.Host}").ToList();
            received.Enqueue(new ReceivedMail($"{transaction.From.User}@{transaction.From.Host}", recipients, message));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>A message as the test server took it: the envelope and the parsed content.</summary>
public sealed record ReceivedMail(string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, MimeMessage Message);
