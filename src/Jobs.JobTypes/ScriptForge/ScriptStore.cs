using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>A version of a stored script.</summary>
public sealed record StoredScript(Guid Id, string Tenant, string Name, int Version, string Source, DateTimeOffset CreatedAt);

/// <summary>A stored script as listings show it, without its source.</summary>
public sealed record ScriptSummary(Guid Id, string Name, int LatestVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// Tenants' scripts in PostgreSQL (<c>infra/schema/004-scripts.sql</c>): a script is a tenant's name with numbered
/// versions 1, 2, 3…, each immutable once saved. Every read is scoped to a tenant: another tenant's script is not
/// found, never forbidden, so ids reveal nothing.
/// </summary>
public sealed partial class ScriptStore
{
    public const int MaxTenantLength = 200;
    public const int MaxNameLength = 200;

    /// <summary>The longest script accepted, stored or inline: 1,000,000 characters.</summary>
    public const int MaxSourceLength = 1_000_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;

    public ScriptStore(NpgsqlDataSource dataSource, ILogger<ScriptStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// The problems with a script about to be saved, keyed by field (<c>tenant</c>, <c>name</c>, <c>source</c>);
    /// empty when it can be saved. A script that does not parse is refused with the syntax error's line and column.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(string? tenant, string? name, string? source)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(tenant) || tenant.Length > MaxTenantLength)
        {
            errors["tenant"] = [$"must be a non-empty string of at most {MaxTenantLength} characters"];
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Trim() != name)
        {
            errors["name"] = [$"must be a non-empty name of at most {MaxNameLength} characters, without leading or trailing spaces"];
        }

        if (string.IsNullOrEmpty(source))
        {
            errors["source"] = ["must be a non-empty script"];
        }
        else if (source.Length > MaxSourceLength)
        {
            errors["source"] = [$"must be at most {MaxSourceLength:N0} characters; it has {source.Length:N0}"];
        }
        else if (ScriptSyntax.Check(source) is { } syntaxError)
        {
            errors["source"] = [syntaxError];
        }

        return errors;
    }

    /// <summary>
    /// Saves <paramref name="source"/> as the next version of the tenant's script called <paramref name="name"/>,
    /// creating the script at version 1 if the tenant has none of that name. Concurrent saves of one name get
    /// consecutive versions: the script's row is locked while its version number is taken.
    /// </summary>
    /// <exception cref="ArgumentException">The input fails <see cref="Validate"/>; the message names the field.</exception>
    public async Task<StoredScript> SaveAsync(string tenant, string name, string source, CancellationToken cancellationToken)
    {
        var errors = Validate(tenant, name, source);
        if (errors.Count > 0)
        {
            var (field, messages) = errors.First();
            throw new ArgumentException($"{field} {messages[0]}", field);
        }

        // One statement, so one implicit transaction: the script row (new or bumped) and its version together.
        const string sql = """
            WITH script AS (
                INSERT INTO jobs.script AS s (id, tenant, name, latest_version)
                VALUES ($1, $2, $3, 1)
                ON CONFLICT (tenant, name) DO UPDATE
                    SET latest_version = s.latest_version + 1, updated_at = now()
                RETURNING s.id, s.latest_version
            )
            INSERT INTO jobs.script_version (script_id, version, source)
            SELECT id, latest_version, $4 FROM script
            RETURNING script_id, version, created_at
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);

        var saved = new StoredScript(
            reader.GetGuid(0), tenant, name, reader.GetInt32(1), source, reader.GetFieldValue<DateTimeOffset>(2));
        LogSaved(saved.Id, tenant, saved.Version, source.Length);
        return saved;
    }

    /// <summary>A version of a script of <paramref name="tenant"/>; the latest when <paramref name="version"/> is null.</summary>
    /// <returns>Null when the tenant has no such script or version.</returns>
    public async Task<StoredScript?> GetAsync(string tenant, Guid scriptId, int? version, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT s.name, v.version, v.source, v.created_at
            FROM jobs.script s
            JOIN jobs.script_version v ON v.script_id = s.id AND v.version = coalesce($3, s.latest_version)
            WHERE s.id = $1 AND s.tenant = $2
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = scriptId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = version });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredScript(scriptId, tenant, reader.GetString(0), reader.GetInt32(1), reader.GetString(2),
            reader.GetFieldValue<DateTimeOffset>(3));
    }

    /// <summary>The scripts of <paramref name="tenant"/>, by name.</summary>
    public async Task<IReadOnlyList<ScriptSummary>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, name, latest_version, created_at, updated_at
            FROM jobs.script
            WHERE tenant = $1
            ORDER BY name
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var scripts = new List<ScriptSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            scripts.Add(new ScriptSummary(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return scripts;
    }
}
