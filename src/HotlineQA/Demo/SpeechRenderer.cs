using System.Diagnostics;

namespace HotlineQA.Host.Demo;

/// <summary>How one speaker sounds: an espeak-ng voice (with variant), pitch 0–99, speed in words per minute, amplitude 0–200.</summary>
public sealed record SpeakerVoice(string Voice, int Pitch, int Speed, int Amplitude = 100);

/// <summary>Renders text to 16 kHz mono PCM with espeak-ng, resampled by ffmpeg, leading and trailing silence trimmed.</summary>
public sealed class SpeechRenderer
{
    public const int SampleRate = 16000;

    // Debian 12's espeak-ng 1.51 "cmn" voice spells Chinese characters out as pinyin in English; the
    // "cmn-latn-pinyin" voice reads them as Mandarin syllables.
    public static readonly SpeakerVoice Agent = new("cmn-latn-pinyin+f3", Pitch: 70, Speed: 165);
    public static readonly SpeakerVoice Customer = new("cmn-latn-pinyin+m3", Pitch: 30, Speed: 145);

    // espeak-ng pads clips with digital silence; this keeps only the span where speech is audible.
    private const short TrimThreshold = 100;

    public async Task<short[]> RenderAsync(string text, SpeakerVoice voice, CancellationToken ct = default)
    {
        var wav = await RunAsync("espeak-ng",
            ["-v", voice.Voice, "-p", voice.Pitch.ToString(), "-s", voice.Speed.ToString(), "-a", voice.Amplitude.ToString(), "--stdout", text],
            stdin: null, ct);
        var raw = await RunAsync("ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0", "-ar", SampleRate.ToString(), "-ac", "1", "-f", "s16le", "pipe:1"],
            stdin: wav, ct);
        var pcm = new short[raw.Length / 2];
        Buffer.BlockCopy(raw, 0, pcm, 0, pcm.Length * 2);
        return Trim(pcm);
    }

    internal static short[] Trim(short[] pcm)
    {
        var first = Array.FindIndex(pcm, s => Math.Abs((int)s) > TrimThreshold);
        if (first < 0) return [];
        var last = Array.FindLastIndex(pcm, s => Math.Abs((int)s) > TrimThreshold);
        return pcm[first..(last + 1)];
    }

    internal static async Task<byte[]> RunAsync(string tool, IReadOnlyList<string> args, byte[]? stdin, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start"); }
        catch (System.ComponentModel.Win32Exception e)
        { throw new InvalidOperationException($"{tool} is not installed (run scripts/setup.sh): {e.Message}", e); }
        using (p)
        {
            using var output = new MemoryStream();
            var copyOut = p.StandardOutput.BaseStream.CopyToAsync(output, ct);
            var readErr = p.StandardError.ReadToEndAsync(ct);
            if (stdin is not null)
            {
                await p.StandardInput.BaseStream.WriteAsync(stdin, ct);
                p.StandardInput.Close();
            }
            await copyOut;
            var err = await readErr;
            await p.WaitForExitAsync(ct);
            // Error text from these tools names options and files only; the spoken text is not echoed.
            if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed with exit code {p.ExitCode}: {err.Trim()}");
            return output.ToArray();
        }
    }
}
