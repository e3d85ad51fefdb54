using System.Diagnostics;

namespace HotlineQA.TestSupport;

/// <summary>The real `hotlineqa` executable (hotlineqa.dll beside the test assembly) run as a script runs it.</summary>
public static class HotlineqaCli
{
    /// <summary>Runs it in <paramref name="workDir"/> with extra environment variables; stdout and stderr apart.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string workDir, IDictionary<string, string>? env, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hotlineqa.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }
}
