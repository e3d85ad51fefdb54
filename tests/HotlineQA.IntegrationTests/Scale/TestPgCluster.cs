using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace HotlineQA.IntegrationTests.Scale;

/// <summary>
/// A PostgreSQL cluster of the test's own (Debian's <c>pg_createcluster</c> on a free port, as root), so that the test
/// can restart the server itself mid-run without touching the shared server other tests use. Dropped on dispose.
/// </summary>
internal sealed class TestPgCluster : IAsyncDisposable
{
    private const string Password = "hotlineqa";

    private TestPgCluster(string version, string name, int port)
    {
        Version = version;
        Name = name;
        Port = port;
    }

    public string Version { get; }
    public string Name { get; }
    public int Port { get; }

    /// <summary>A connection string to database <c>hotlineqa</c> of this cluster (created empty).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=hotlineqa;Username=postgres;Password={Password}";

    public static async Task<TestPgCluster> CreateAsync()
    {
        if (!File.Exists("/usr/bin/pg_createcluster"))
            throw new InvalidOperationException("this test needs Debian's postgresql-common (pg_createcluster): run scripts/setup.sh");
        if (Environment.UserName != "root")
            throw new InvalidOperationException("this test creates and restarts its own PostgreSQL cluster and must run as root (as in CI)");
        var version = Directory.GetDirectories("/usr/lib/postgresql").Select(Path.GetFileName).OrderByDescending(v => int.Parse(v!, CultureInfo.InvariantCulture)).First()!;
        var name = "hqa" + Guid.NewGuid().ToString("N")[..8];
        var port = FreePort();
        var cluster = new TestPgCluster(version, name, port);
        await RunAsync("pg_createcluster", version, name, "--port", port.ToString(CultureInfo.InvariantCulture), "--start");
        await RunAsync("runuser", "-u", "postgres", "--", "psql", "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "-c", $"ALTER USER postgres PASSWORD '{Password}'");
        await RunAsync("runuser", "-u", "postgres", "--", "psql", "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "-c", "CREATE DATABASE hotlineqa");
        return cluster;
    }

    /// <summary>Restarts the server: every connection of every worker is lost, and the server is gone for a moment.</summary>
    public Task RestartAsync() => RunAsync("pg_ctlcluster", Version, Name, "restart");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync("pg_dropcluster", Version, Name, "--stop");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await err}{await output}");
    }
}
