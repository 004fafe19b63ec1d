using Npgsql;

namespace Jobs.Api.Auth;

/// <summary>API keys in <c>jobs.api_key</c>: created with a tenant and a role, listed without their secret, revoked.</summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource)
{
    /// <summary>The channel a revocation is announced on, with the key's id, so every API process forgets the key.</summary>
    public const string RevokedChannel = "jobs_keys";

    private const string Columns = "id, tenant, role, key_prefix, created_at, revoked_at";

    /// <summary>Creates a key; the returned secret is shown to the caller once and stored only as a hash.</summary>
    public async Task<(ApiKeyInfo Info, string Key)> CreateAsync(string tenant, string role, CancellationToken cancellationToken)
    {
        var key = ApiKeys.NewKey();
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO jobs.api_key (id, tenant, role, key_hash, key_prefix) VALUES ($1, $2, $3, $4, $5)
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = role });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = ApiKeys.Hash(key) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ApiKeys.ShownPrefix(key) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Read(reader), key);
    }

    /// <summary>Every key, newest first, optionally of one tenant; revoked ones included and marked.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string? tenant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(tenant is null
            ? $"SELECT {Columns} FROM jobs.api_key ORDER BY created_at DESC, id DESC LIMIT 10000"
            : $"SELECT {Columns} FROM jobs.api_key WHERE tenant = $1 ORDER BY created_at DESC, id DESC LIMIT 10000");
        if (tenant is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        }

        var keys = new List<ApiKeyInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    /// <summary>
    /// Revokes a key (revoking twice keeps the first time) and announces it on <see cref="RevokedChannel"/> in the
    /// same statement. Null when there is no such key.
    /// </summary>
    public async Task<ApiKeyInfo?> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            WITH revoked AS (
                UPDATE jobs.api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
                RETURNING {Columns}
            )
            SELECT r.* FROM revoked r CROSS JOIN LATERAL (SELECT pg_notify('{RevokedChannel}', r.id::text)) announced
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The live key with this hash, or null.</summary>
    public async Task<(Guid Id, ApiCaller Caller)?> FindAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, tenant, role FROM jobs.api_key WHERE key_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = keyHash });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (reader.GetGuid(0), new ApiCaller(reader.GetString(1), reader.GetString(2)));
    }

    private static ApiKeyInfo Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
}

/// <summary>A key as listings show it: never the secret, only its first characters.</summary>
public sealed record ApiKeyInfo(
    Guid Id, string Tenant, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
