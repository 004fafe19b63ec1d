using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Jobs.Api.Auth;

/// <summary>
/// Finds who an API key belongs to: the bootstrap operator key from <c>JOBS_OPERATOR_KEY</c> (or
/// <c>Jobs:OperatorKey</c>), else a key from <see cref="ApiKeyStore"/>. Lookups are cached for
/// <see cref="CacheTime"/> so a busy client costs one query per key every few seconds, not one per request.
/// </summary>
/// <remarks>
/// Revocation takes effect at once in the process that revoked the key, and in every other API process as soon as
/// the NOTIFY on <see cref="ApiKeyStore.RevokedChannel"/> arrives (milliseconds); if that connection is down, the
/// cache is cleared when it comes back, and no entry outlives <see cref="CacheTime"/> in any case.
/// The cache is keyed by the key's hash, never the key.
/// </remarks>
public sealed class ApiKeyResolver(ApiKeyStore store, IConfiguration configuration, TimeProvider clock) : IApiKeyResolver
{
    public const string EnvironmentVariable = "JOBS_OPERATOR_KEY";

    /// <summary>The longest a cached answer is used.</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(10);

    /// <summary>Unknown keys are remembered briefly too, so a client with a wrong key cannot hammer the database.</summary>
    private static readonly TimeSpan UnknownCacheTime = TimeSpan.FromSeconds(2);

    private const int MaxEntries = 10_000;
    private const int MaxKeyLength = 256;

    private static readonly ApiCaller BootstrapOperator = new(JobsClaims.OperatorTenant, JobsRoles.Operator);

    private readonly byte[]? _operatorKeyHash = BootstrapHash(configuration);
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private long _generation;

    public async ValueTask<ApiCaller?> ResolveAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length is 0 or > MaxKeyLength)
        {
            return null;
        }

        var hash = ApiKeys.Hash(key);
        if (_operatorKeyHash is not null && CryptographicOperations.FixedTimeEquals(hash, _operatorKeyHash))
        {
            return BootstrapOperator;
        }

        if (!ApiKeys.HasShape(key))
        {
            return null;
        }

        var cacheKey = Convert.ToHexString(hash);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.Expires > now)
        {
            return cached.Caller;
        }

        var generation = Interlocked.Read(ref _generation);
        var found = await store.FindAsync(hash, cancellationToken);
        Remember(cacheKey, found, generation, now);
        return found?.Caller;
    }

    /// <summary>Drops a revoked key from the cache.</summary>
    public void Forget(Guid keyId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (cacheKey, entry) in _cache)
        {
            if (entry.KeyId == keyId)
            {
                _cache.TryRemove(cacheKey, out _);
            }
        }
    }

    /// <summary>Drops everything: revocations may have been missed.</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
    }

    private void Remember(string cacheKey, (Guid Id, ApiCaller Caller)? found, long generation, DateTimeOffset now)
    {
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        var entry = new Entry(found?.Id, found?.Caller, now + (found is null ? UnknownCacheTime : CacheTime));
        _cache[cacheKey] = entry;

        // A revocation that arrived while we were reading may have been missed by the loop in Forget.
        if (Interlocked.Read(ref _generation) != generation)
        {
            _cache.TryRemove(cacheKey, out _);
        }
    }

    private static byte[]? BootstrapHash(IConfiguration configuration) =>
        (configuration[EnvironmentVariable] is { Length: > 0 } key ? key : configuration["Jobs:OperatorKey"]) is
        { Length: > 0 } configured
            ? ApiKeys.Hash(configured)
            : null;

    private sealed record Entry(Guid? KeyId, ApiCaller? Caller, DateTimeOffset Expires);
}
