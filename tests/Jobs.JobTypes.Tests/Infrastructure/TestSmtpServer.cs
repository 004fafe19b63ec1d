using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
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
/// accepts and answers each recipient as <c>recipientReply</c> says: null accepts, a reply refuses with it. Given a
/// certificate it offers STARTTLS and refuses any mail before it, with 530 as RFC 3207 says.
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
        Func<string, SmtpResponse?>? recipientReply = null, SmtpResponse? dataReply = null,
        X509Certificate2? startTlsCertificate = null)
    {
        var server = new TestSmtpServer();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new RecipientFilter(recipientReply ?? (_ => null), requireTls: startTlsCertificate is not null));
        services.Add(new CapturingStore(server._received, dataReply));

        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, 0));
                if (startTlsCertificate is not null)
                {
                    endpoint.Certificate(startTlsCertificate);
                }
            })
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

    private sealed class RecipientFilter(Func<string, SmtpResponse?> reply, bool requireTls) : IMailboxFilter
    {
        private static readonly SmtpResponse StartTlsFirst =
            new(SmtpReplyCode.AuthenticationRequired, "5.7.0 Must issue a STARTTLS command first");

        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken token) =>
            requireTls && !context.Pipe.IsSecure ? throw new SmtpResponseException(StartTlsFirst) : Task.FromResult(true);

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
            received.Enqueue(new ReceivedMail(
                $"{transaction.From.User}@{transaction.From.Host}", recipients, message, context.Pipe.IsSecure));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>A message as the test server took it: the envelope, the parsed content, and whether it came over TLS.</summary>
public sealed record ReceivedMail(
    string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, MimeMessage Message, bool OverTls = false);
