using System.Diagnostics;
using System.Text;

namespace Jobs.Tests.Infrastructure;

/// <summary>
/// A silo in a process of its own (src/Jobs.Silo, as built alongside the tests), so a test can kill it the hard way:
/// no graceful shutdown, no chance to record anything, exactly like a machine that dies. <see cref="StartApiAsync"/>
/// starts the HTTP API (src/Jobs.Api, co-hosting its silo) instead, for tests that need real HTTP and a process whose
/// memory they can measure.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, int siloPort, int httpPort)
    {
        _process = process;
        SiloPort = siloPort;
        HttpPort = httpPort;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int SiloPort { get; }

    public int HttpPort { get; }

    public bool HasExited => _process.HasExited;

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>The most memory the process has had resident at once so far (VmHWM in /proc/[pid]/status).</summary>
    public long PeakWorkingSetBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status")
                .Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        }
    }

    /// <summary>What the silo wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<SiloProcess> StartAsync(string connectionString, IDictionary<string, string>? settings = null) =>
        StartAsync("Jobs.Silo", connectionString, settings);

    /// <summary>Starts the API in embedded mode; it answers to <see cref="JobsApp.OperatorKey"/>.</summary>
    public static Task<SiloProcess> StartApiAsync(string connectionString, IDictionary<string, string>? settings = null)
    {
        var api = new Dictionary<string, string> { ["JOBS_OPERATOR_KEY"] = JobsApp.OperatorKey };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            api[key] = value;
        }

        return StartAsync("Jobs.Api", connectionString, api);
    }

    private static async Task<SiloProcess> StartAsync(
        string host, string connectionString, IDictionary<string, string>? settings)
    {
        var siloPort = FreePort.Pick();
        var httpPort = FreePort.Pick();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(HostAssembly(host))!,
        };
        start.ArgumentList.Add(HostAssembly(host));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{httpPort}");
        start.Environment["ConnectionStrings__Jobs"] = connectionString;
        start.Environment["Jobs__Cluster__SiloPort"] = siloPort.ToString();
        start.Environment["Jobs__Cluster__GatewayPort"] = FreePort.Pick().ToString();
        start.Environment["Jobs__Cluster__ProbeTimeout"] = "00:00:01";
        start.Environment["Jobs__Cluster__MissedProbesLimit"] = "2";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var silo = new SiloProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), siloPort, httpPort);
        await silo.WaitReadyAsync();
        return silo;
    }

    /// <summary>Kills the process at once (SIGKILL).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>
    /// Stops the process the way a service manager or Ctrl-C does (SIGTERM): the host shuts the silo down gracefully
    /// and leaves the cluster. Waits until it has exited.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The silo on port {SiloPort} did not stop within {timeout.TotalSeconds:0} s of SIGTERM:\n{Output}");
        }
    }

    /// <summary>True when a silo address string written by the engine ("ip:port@generation") is this silo's.</summary>
    public bool Owns(string siloAddress) => siloAddress.Contains($":{SiloPort}@", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        await Task.CompletedTask;
        _process.Dispose();
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") };
        await Eventually.Until(async () =>
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The silo process exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                return (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), $"the silo on port {SiloPort} is ready");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The host built from src/<paramref name="host"/> in the same configuration as these tests.</summary>
    private static string HostAssembly(string host)
    {
        var testDirectory = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(testDirectory).Parent!.Name;
        var root = new DirectoryInfo(testDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Jobs.sln")))
        {
            root = root.Parent;
        }

        var path = root is null
            ? ""
            : Path.Combine(root.FullName, "src", host, "bin", configuration, "net10.0", host + ".dll");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"The {host} host is not built at '{path}'; build the solution first.");
    }
}
