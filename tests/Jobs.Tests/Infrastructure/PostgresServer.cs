using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Jobs.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL server for the whole test process, and a fresh database per test class.
/// </summary>
/// <remarks>
/// With <c>JOBS_TEST_PG</c> set to a superuser connection string, that server is used as it is.
/// Otherwise a cluster is created with <c>initdb</c> in a temporary directory and started on a free
/// loopback port above 20000; it is stopped and its directory deleted when the process exits, by a
/// ProcessExit handler or, if the process is killed first, by a watchdog shell.
/// Durability is switched off: nothing here needs to survive a crash, and it makes tests faster.
/// </remarks>
public sealed class PostgresServer
{
    public const string ConnectionStringVariable = "JOBS_TEST_PG";

    private const string OsUser = "postgres";
    private const int MinPort = 20001;
    private const int MaxPort = 60000;
    private const int StartAttempts = 5;

    private static readonly Lazy<Task<PostgresServer>> Instance = new(StartOrConnectAsync);

    private PostgresServer(string adminConnectionString)
    {
        AdminConnectionString = adminConnectionString;
    }

    /// <summary>A superuser connection string to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The process-wide server, started on first use.</summary>
    public static Task<PostgresServer> GetAsync() => Instance.Value;

    /// <summary>Creates an empty, uniquely named database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = UniqueDatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }
            .ConnectionString;
    }

    /// <summary>
    /// A server of its own, for tests that stop and restart PostgreSQL; the shared one must stay up for the others.
    /// </summary>
    public static async Task<DedicatedPostgres> StartDedicatedAsync()
    {
        var local = await LocalCluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => local.Stop();
        return new DedicatedPostgres(local);
    }

    /// <summary>A server that a test may stop and start again on the same port, keeping its data.</summary>
    public sealed class DedicatedPostgres : IDisposable
    {
        private readonly LocalCluster _cluster;

        internal DedicatedPostgres(LocalCluster cluster)
        {
            _cluster = cluster;
            Server = new PostgresServer(cluster.AdminConnectionString);
        }

        public PostgresServer Server { get; }

        /// <summary>Stops the server cleanly (pg_ctl stop -m fast).</summary>
        public Task StopAsync() => _cluster.StopServerAsync();

        /// <summary>Starts the stopped server again on the same port.</summary>
        public Task StartAsync() => _cluster.StartAgainAsync();

        public void Dispose() => _cluster.Stop();
    }

    private static string UniqueDatabaseName(string prefix)
    {
        var cleaned = new string(
            prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var name = $"{cleaned}_{Guid.NewGuid():N}";

        // PostgreSQL truncates identifiers to 63 bytes; keep the unique suffix whole.
        return name.Length <= 63 ? name : name[(name.Length - 63)..];
    }

    private static async Task<PostgresServer> StartOrConnectAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var admin = new NpgsqlConnectionStringBuilder(external) { Database = "postgres", Pooling = false };
            return new PostgresServer(admin.ConnectionString);
        }

        var local = await LocalCluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => local.Stop();

        return new PostgresServer(local.AdminConnectionString);
    }

    internal sealed class LocalCluster
    {
        private int _port;

        private readonly string _binDirectory;
        private readonly string _rootDirectory;
        private readonly string _dataDirectory;

        private LocalCluster(string binDirectory, string rootDirectory)
        {
            _binDirectory = binDirectory;
            _rootDirectory = rootDirectory;
            _dataDirectory = Path.Combine(rootDirectory, "data");
        }

        public string AdminConnectionString { get; private set; } = string.Empty;

        private static bool IsRoot => Environment.UserName == "root";

        public static async Task<LocalCluster> StartAsync()
        {
            var bin = FindBinDirectory();

            // initdb refuses root, so as root the cluster belongs to the postgres user, which must be
            // able to reach the directory: /tmp rather than a TMPDIR that may sit under /root.
            var parent = IsRoot ? "/tmp" : Path.GetTempPath();
            var root = Path.Combine(parent, "jobs-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);
            var cluster = new LocalCluster(bin, root);
            try
            {
                await cluster.InitAsync();
                await cluster.StartOnFreePortAsync();
                cluster.StartWatchdog();
                return cluster;
            }
            catch
            {
                cluster.Stop();
                throw;
            }
        }

        public void Stop()
        {
            try
            {
                if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
                {
                    RunAsync(Tool("pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"])
                        .GetAwaiter().GetResult();
                }
            }
            catch (InvalidOperationException)
            {
                // Already stopped: nothing to do but delete the files.
            }

            try
            {
                Directory.Delete(_rootDirectory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The watchdog retries; a leftover temp directory is not worth failing a finished test run for.
            }
        }

        /// <summary>
        /// The test host is often killed right after the run, before or during ProcessExit handlers, so a
        /// detached shell waits for this process to end and then stops the server and deletes its files.
        /// </summary>
        private void StartWatchdog()
        {
            var pgCtl = IsRoot ? $"runuser -u {OsUser} -- '{Tool("pg_ctl")}'" : $"'{Tool("pg_ctl")}'";
            var script = $"""
                exec </dev/null >/dev/null 2>&1
                while kill -0 {Environment.ProcessId}; do sleep 1; done
                if [ -f '{_dataDirectory}/postmaster.pid' ]; then {pgCtl} -D '{_dataDirectory}' -m immediate -w stop; fi
                rm -rf '{_rootDirectory}'
                """;
            var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
            foreach (var argument in new[] { "sh", "-c", script })
            {
                start.ArgumentList.Add(argument);
            }

            using var watchdog = Process.Start(start)
                ?? throw new InvalidOperationException("Could not start the PostgreSQL clean-up watchdog.");
        }

        private async Task InitAsync()
        {
            if (IsRoot)
            {
                await RunAsync("chown", [$"{OsUser}:{OsUser}", _rootDirectory], asOwner: false);
            }

            await RunAsync(Tool("initdb"),
            [
                "-D", _dataDirectory, "-U", OsUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync",
            ]);
        }

        private async Task StartOnFreePortAsync()
        {
            InvalidOperationException? lastFailure = null;
            for (var attempt = 0; attempt < StartAttempts; attempt++)
            {
                var port = PickFreePort();
                try
                {
                    await StartAsync(port);
                    _port = port;
                    AdminConnectionString = new NpgsqlConnectionStringBuilder
                    {
                        Host = "127.0.0.1",
                        Port = port,
                        Username = OsUser,
                        Database = "postgres",
                        Pooling = false,
                    }.ConnectionString;
                    return;
                }
                catch (InvalidOperationException e)
                {
                    // Most likely another process took the port between our probe and the server's bind.
                    lastFailure = e;
                }
            }

            throw new InvalidOperationException(
                $"PostgreSQL did not start after {StartAttempts} attempts; see {_rootDirectory}/server.log.",
                lastFailure);
        }

        public Task StopServerAsync() =>
            RunAsync(Tool("pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "stop"]);

        public Task StartAgainAsync() => StartAsync(_port);

        private Task StartAsync(int port)
        {
            var settings = string.Join(' ',
                "-c listen_addresses=127.0.0.1",
                $"-p {port}",
                $"-k {_rootDirectory}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=500");

            return RunAsync(Tool("pg_ctl"),
            [
                "-D", _dataDirectory, "-l", Path.Combine(_rootDirectory, "server.log"), "-w", "-t", "60",
                "-o", settings, "start",
            ]);
        }

        private static int PickFreePort()
        {
            for (var i = 0; i < 100; i++)
            {
                var port = Random.Shared.Next(MinPort, MaxPort);
                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    listener.Stop();
                    return port;
                }
                catch (SocketException)
                {
                    // Taken; try another.
                }
            }

            throw new InvalidOperationException($"No free TCP port found between {MinPort} and {MaxPort}.");
        }

        private string Tool(string name) => Path.Combine(_binDirectory, name);

        private static string FindBinDirectory()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("PG_BIN");
            if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "initdb")))
            {
                return fromEnvironment;
            }

            // Debian installs each major version side by side; prefer the newest.
            var debian = Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => (
                        Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1,
                        Bin: Path.Combine(d, "bin")))
                    .Where(d => File.Exists(Path.Combine(d.Bin, "initdb")))
                    .OrderByDescending(d => d.Version)
                    .Select(d => d.Bin)
                    .FirstOrDefault()
                : null;
            if (debian is not null)
            {
                return debian;
            }

            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));

            return onPath ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found in PG_BIN, /usr/lib/postgresql/*/bin "
                + "or on PATH. Run the tests through scripts/test.sh, which installs them, or install them with "
                + $"'apt-get install postgresql'; or set {ConnectionStringVariable} to a superuser connection string.");
        }

        private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asOwner = true)
        {
            var start = new ProcessStartInfo
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (asOwner && IsRoot)
            {
                start.FileName = "runuser";
                foreach (var argument in new[] { "-u", OsUser, "--", fileName })
                {
                    start.ArgumentList.Add(argument);
                }
            }
            else
            {
                start.FileName = fileName;
            }

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)
                ?? throw new InvalidOperationException($"Could not start {fileName}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{Path.GetFileName(fileName)} exited with {process.ExitCode}: {await error}{await output}");
            }
        }
    }
}
