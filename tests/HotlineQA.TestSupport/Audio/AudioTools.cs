using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HotlineQA.TestSupport.Audio;

/// <summary>The command-line tools audio tests and benchmarks need; missing ones fail loudly, never skip.</summary>
public static class AudioTools
{
    public static void RequireFfmpeg() => Require("ffmpeg", "-version", "ffmpeg");

    public static void RequireEspeak() => Require("espeak-ng", "--version", "espeak-ng");

    public static void RequireSox() => Require("sox", "--version", "sox");

    private static void Require(string tool, string arg, string package)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(tool, arg) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit();
            if (p.ExitCode == 0) return;
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: this must be installed)" : "";
        throw new InvalidOperationException($"{tool} is not installed: this test needs the Debian package '{package}' (scripts/setup.sh){ci}");
    }

    /// <summary>Runs a tool, feeding <paramref name="stdin"/> if given; throws with its stderr on failure.</summary>
    public static async Task<byte[]> RunAsync(string tool, IEnumerable<string> args, byte[]? stdin = null)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        if (stdin is not null)
        {
            await p.StandardInput.BaseStream.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        await copy;
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', psi.ArgumentList)} failed: {await err}");
        return output.ToArray();
    }

    /// <summary>ffmpeg straight from the command line (independent of the code under test): mono 16 kHz float.</summary>
    public static async Task<float[]> DecodeMono16kAsync(string path) =>
        MemoryMarshal.Cast<byte, float>(await RunAsync("ffmpeg", ["-nostdin", "-loglevel", "error", "-i", path, "-ac", "1", "-ar", "16000", "-f", "f32le", "-"])).ToArray();

    /// <summary>Encodes interleaved 16 kHz float PCM with the given ffmpeg output arguments.</summary>
    public static Task EncodeAsync(float[] interleaved, int channels, string outPath, params string[] outputArgs)
    {
        var bytes = MemoryMarshal.AsBytes(interleaved.AsSpan()).ToArray();
        return RunAsync("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "f32le", "-ar", "16000", "-ac", channels.ToString(), "-i", "-", .. outputArgs, outPath], bytes);
    }

    /// <summary>Converts a file with ffmpeg.</summary>
    public static Task ConvertAsync(string input, string outPath, params string[] outputArgs) =>
        RunAsync("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", input, .. outputArgs, outPath]);
}
