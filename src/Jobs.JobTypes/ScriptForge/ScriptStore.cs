using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>A version of a stored script.</summary>
public sealed record StoredScript(Guid Id, string Tenant, string Name, int Version, string Source, DateTimeOffset CreatedAt);

/// <summary>A stored script as listings show it, without its source.</summary>
public sealed record ScriptSummary(
    Guid Id, string Tenant, string Name, int LatestVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One version of a script as its history shows it, without its source.</summary>
public sealed record ScriptVersionInfo(int Version, int Length, DateTimeOffset CreatedAt);

/// <summary>
/// Tenants' scripts in PostgreSQL (<c>infra/schema/004-scripts.sql</c>): a script is a tenant's name with numbered
/// versions 1, 2, 3…, each immutable once saved. Every read is scoped to a tenant: another tenant's script is not
/// found, never forbidden, so ids reveal nothing. Reads that take a null tenant see every tenant's scripts: they are
/// for operators.
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

        if (SourceProblem(source) is { } problem)
        {
            errors["source"] = [problem];
        }

        return errors;
    }

    /// <summary>What is wrong with a script's source (empty, too long, or a syntax error with line and column).</summary>
    /// <returns>Null when the source can be saved.</returns>
    public static string? SourceProblem(string? source)
    {
        if (string.IsNullOrEmpty(source))
        {
            return "must be a non-empty script";
        }

        return source.Length > MaxSourceLength
            ? $"must be at most {MaxSourceLength:N0} characters; it has {source.Length:N0}"
            : ScriptSyntax.Check(source);
    }

    /// <summary>
    /// Saves <paramref name="source"/> as the next version of the tenant's script called <paramref name="name"/>,
    /// creating the script at version 1 if the tenant has none of that name. Concurrent saves of one name get
    /// consecutive versions: the script's row is locked while its version number is taken.
    /// </summary>
    /// <exception cref="ArgumentException">The input fails <see cref="Validate"/>; the message names the field.</exception>
    public async Task<StoredScript> SaveAsync(string tenant, string name, string source, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(tenant, name, source);

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

    /// <summary>
    /// Saves a new script called <paramref name="name"/> at version 1. Unlike <see cref="SaveAsync"/> it never adds a
    /// version to an existing script: when the tenant already has one of that name, nothing is saved and its id is
    /// returned instead.
    /// </summary>
    /// <exception cref="ArgumentException">The input fails <see cref="Validate"/>; the message names the field.</exception>
    public async Task<ScriptCreation> CreateAsync(string tenant, string name, string source, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(tenant, name, source);
        const string sql = """
            WITH script AS (
                INSERT INTO jobs.script (id, tenant, name, latest_version)
                VALUES ($1, $2, $3, 1)
                ON CONFLICT (tenant, name) DO NOTHING
                RETURNING id
            )
            INSERT INTO jobs.script_version (script_id, version, source)
            SELECT id, 1, $4 FROM script
            RETURNING script_id, created_at
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                var created = new StoredScript(reader.GetGuid(0), tenant, name, 1, source, reader.GetFieldValue<DateTimeOffset>(1));
                LogSaved(created.Id, tenant, 1, source.Length);
                return new ScriptCreation(created, null);
            }
        }

        await using var find = _dataSource.CreateCommand("SELECT id FROM jobs.script WHERE tenant = $1 AND name = $2");
        find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return new ScriptCreation(null, (Guid?)await find.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>
    /// Saves <paramref name="source"/> as the next version of a script of <paramref name="tenant"/> (any tenant's when
    /// null); concurrent saves get consecutive versions, as with <see cref="SaveAsync"/>.
    /// </summary>
    /// <returns>The new version, or null when the tenant has no such script.</returns>
    /// <exception cref="ArgumentException">The source fails <see cref="Validate"/>; the message names the field.</exception>
    public async Task<StoredScript?> AddVersionAsync(
        string? tenant, Guid scriptId, string source, CancellationToken cancellationToken)
    {
        if (SourceProblem(source) is { } problem)
        {
            throw new ArgumentException($"source {problem}", nameof(source));
        }

        const string sql = """
            WITH script AS (
                UPDATE jobs.script SET latest_version = latest_version + 1, updated_at = now()
                WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)
                RETURNING id, tenant, name, latest_version
            ), saved AS (
                INSERT INTO jobs.script_version (script_id, version, source)
                SELECT id, latest_version, $3 FROM script
                RETURNING script_id, version, created_at
            )
            SELECT s.tenant, s.name, v.version, v.created_at FROM saved v JOIN script s ON s.id = v.script_id
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = scriptId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var saved = new StoredScript(scriptId, reader.GetString(0), reader.GetString(1), reader.GetInt32(2), source,
            reader.GetFieldValue<DateTimeOffset>(3));
        LogSaved(saved.Id, saved.Tenant, saved.Version, source.Length);
        return saved;
    }

    /// <summary>
    /// A version of a script of <paramref name="tenant"/> (any tenant's when null); the latest when
    /// <paramref name="version"/> is null.
    /// </summary>
    /// <returns>Null when the tenant has no such script or version.</returns>
    public async Task<StoredScript?> GetAsync(string? tenant, Guid scriptId, int? version, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT s.tenant, s.name, v.version, v.source, v.created_at
            FROM jobs.script s
            JOIN jobs.script_version v ON v.script_id = s.id AND v.version = coalesce($3, s.latest_version)
            WHERE s.id = $1 AND ($2::text IS NULL OR s.tenant = $2)
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = scriptId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = version });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredScript(scriptId, reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4));
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
            scripts.Add(new ScriptSummary(reader.GetGuid(0), tenant, reader.GetString(1), reader.GetInt32(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return scripts;
    }

    /// <summary>
    /// A page of the scripts of <paramref name="tenant"/> (every tenant's when null) in id order, which is creation
    /// order: at most <paramref name="limit"/> with ids after <paramref name="after"/>.
    /// </summary>
    public async Task<IReadOnlyList<ScriptSummary>> PageAsync(
        string? tenant, Guid? after, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, tenant, name, latest_version, created_at, updated_at
            FROM jobs.script
            WHERE ($1::text IS NULL OR tenant = $1) AND ($2::uuid IS NULL OR id > $2)
            ORDER BY id
            LIMIT $3
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tenant });
        command.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var scripts = new List<ScriptSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            scripts.Add(new ScriptSummary(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return scripts;
    }

    /// <summary>The versions of a script of <paramref name="tenant"/> (any tenant's when null), oldest first.</summary>
    /// <returns>Empty when the tenant has no such script: every script has at least version 1.</returns>
    public async Task<IReadOnlyList<ScriptVersionInfo>> VersionsAsync(
        string? tenant, Guid scriptId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT v.version, length(v.source), v.created_at
            FROM jobs.script s
            JOIN jobs.script_version v ON v.script_id = s.id
            WHERE s.id = $1 AND ($2::text IS NULL OR s.tenant = $2)
            ORDER BY v.version
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = scriptId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tenant });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<ScriptVersionInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new ScriptVersionInfo(reader.GetInt32(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return versions;
    }

    private static void ThrowIfInvalid(string tenant, string name, string source)
    {
        var errors = Validate(tenant, name, source);
        if (errors.Count > 0)
        {
            var (field, messages) = errors.First();
            throw new ArgumentException($"{field} {messages[0]}", field);
        }
    }
}

/// <summary>
/// The answer to <see cref="ScriptStore.CreateAsync"/>: the script saved at version 1, or the id of the tenant's
/// script that already has the name.
/// </summary>
public sealed record ScriptCreation(StoredScript? Created, Guid? ExistingId);
