using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Jobs.JobTypes.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for this test assembly: created with initdb in a temporary folder, started on a
/// free loopback port above 20000, stopped and deleted when the test process exits. Tests get a database each.
/// </summary>
/// <remarks>
/// A stand-in until the shared server in <c>tests/Jobs.Tests/Infrastructure</c> exists; it has the same shape
/// (<see cref="GetAsync"/>, <see cref="CreateDatabaseAsync"/>) so switching is a file swap.
/// </remarks>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private readonly string _binDir;
    private readonly string _dataDir;

    private PostgresServer(string binDir, string dataDir, int port)
    {
        _binDir = binDir;
        _dataDir = dataDir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The cluster shared by the tests of this process, started on first use.</summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database named after <paramref name="prefix"/> and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres", pooling: false)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name, pooling: true);
    }

    private string ConnectionString(string database, bool pooling) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = pooling,
        IncludeErrorDetail = true,
    }.ConnectionString;

    private static async Task<PostgresServer> StartAsync()
    {
        var binDir = FindBinDir();
        var dataDir = Path.Combine(Path.GetTempPath(), $"jobs-jobtypes-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["postgres:postgres", dataDir], asOwner: false);
        }

        await RunAsync(Path.Combine(binDir, "initdb"),
            ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"], asOwner: true);

        for (var attempt = 1; ; attempt++)
        {
            var port = PickFreePort();
            try
            {
                await RunAsync(Path.Combine(binDir, "pg_ctl"),
                [
                    "-D", dataDir, "-w", "-t", "60", "-l", Path.Combine(dataDir, "server.log"), "-o",
                    $"-c listen_addresses=127.0.0.1 -p {port} -k {dataDir} -c fsync=off -c synchronous_commit=off " +
                    "-c full_page_writes=off -c max_connections=200",
                    "start",
                ], asOwner: true);
                var server = new PostgresServer(binDir, dataDir, port);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // Another process took the port between the check and the start; try another.
            }
        }
    }

    private void Stop()
    {
        try
        {
            RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", _dataDir, "-m", "immediate", "-w", "stop"], asOwner: true)
                .GetAwaiter().GetResult();
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"Could not clean up test PostgreSQL in {_dataDir}: {exception.Message}");
        }
    }

    private static string FindBinDir()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "pg_ctl")))
        {
            return fromEnvironment;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries found: install the postgresql package or set PG_BIN.");
    }

    private static int PickFreePort()
    {
        // Below Linux's ephemeral range (32768+), so outgoing connections do not take it meanwhile.
        for (var i = 0; i < 100; i++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free loopback port found between 20000 and 32000.");
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asOwner)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asOwner && Environment.UserName == "root")
        {
            // initdb and postgres refuse to run as root.
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
