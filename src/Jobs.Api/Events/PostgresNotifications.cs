using Jobs.Api.Auth;
using Npgsql;

namespace Jobs.Api.Events;

/// <summary>
/// The API process's one LISTEN connection: <c>jobs_keys</c> drops a revoked key from the
/// <see cref="ApiKeyResolver"/> cache. When the connection is lost it is opened again; notifications sent meanwhile
/// are lost, so on every (re)connect the key cache is cleared. (Job events are polled: see <see cref="JobEventFeed"/>.)
/// </summary>
public sealed partial class PostgresNotifications(
    NpgsqlDataSource dataSource, ApiKeyResolver keys, ILogger<PostgresNotifications> logger)
    : BackgroundService
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogListenFailed(exception);
                await Task.Delay(Reconnect, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += OnNotification;
        await using (var listen = new NpgsqlCommand($"LISTEN {ApiKeyStore.RevokedChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        keys.ForgetAll();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await connection.WaitAsync(Probe, stoppingToken))
            {
                // Nothing for a while: make sure the server is still there rather than waiting on a dead socket.
                await using var probe = new NpgsqlCommand("SELECT 1", connection);
                await probe.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs args)
    {
        if (args.Channel == ApiKeyStore.RevokedChannel && Guid.TryParse(args.Payload, out var keyId))
        {
            keys.Forget(keyId);
        }
    }

    [LoggerMessage(EventId = 5110, Level = LogLevel.Warning,
        Message = "The notification connection failed; reconnecting")]
    private partial void LogListenFailed(Exception exception);
}
