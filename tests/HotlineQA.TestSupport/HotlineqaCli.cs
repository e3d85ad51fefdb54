using System.Diagnostics;

namespace HotlineQA.TestSupport;

/// <summary>The real `hotlineqa` executable (hotlineqa.dll beside the test assembly) run as a script runs it.</summary>
public static class HotlineqaCli
{
    /// <summary>How to start it: in <paramref name="workDir"/> (null: this process's), with extra environment variables,
    /// stdout and stderr redirected. Callers may still edit it (e.g. remove inherited variables) before starting it.</summary>
    public static ProcessStartInfo StartInfo(string? workDir, IDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workDir is not null) psi.WorkingDirectory = workDir;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hotlineqa.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Starts it (for a test that watches the running process); the caller reads its output.</summary>
    public static Process Start(string? workDir, IDictionary<string, string>? env, params string[] args) =>
        Process.Start(StartInfo(workDir, env, args))!;

    /// <summary>Runs it in <paramref name="workDir"/> with extra environment variables; stdout and stderr apart.</summary>
    public static Task<(int Code, string Out, string Err)> RunAsync(string? workDir, IDictionary<string, string>? env, TimeSpan timeout, params string[] args) =>
        RunAsync(StartInfo(workDir, env, args), timeout);

    /// <summary>Runs what <see cref="StartInfo"/> made to the end (or the timeout); stdout and stderr apart.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(ProcessStartInfo psi, TimeSpan timeout)
    {
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }
}
