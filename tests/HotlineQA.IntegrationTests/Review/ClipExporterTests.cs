using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HotlineQA.Review;
using HotlineQA.Storage;

namespace HotlineQA.IntegrationTests.Review;

/// <summary>The clip cut by real ffmpeg: padding, and personal data silenced and covered by a 1 kHz tone.</summary>
public sealed partial class ClipExporterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hotlineqa-clip-").FullName;

    [Fact]
    public async Task ExportAsync_ShouldBeepThePhoneNumberAndKeepTheRest_WhenAnUtteranceHasOne()
    {
        var source = Path.Combine(_dir, "call.wav");
        // "Speech" is a 440 Hz tone for the whole call; the beep is the only 1 kHz content there can be.
        await RunAsync("-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=10", "-c:a", "pcm_s16le", source);
        UtteranceRow[] utterances =
        [
            new() { Idx = 0, Speaker = "customer", StartSec = 2, EndSec = 6, Text = "电话13812345678" },
            new() { Idx = 1, Speaker = "agent", StartSec = 6.2, EndSec = 8, Text = "好的" },
        ];
        var clip = await new ClipExporter().ExportAsync(source, 10, 2, 6, 1, utterances, Path.Combine(_dir, "clip.wav"));

        Assert.Equal((1.0, 7.0), (clip.StartSec, clip.EndSec));
        Assert.Equal(1, clip.BeepedSpans);
        Assert.Contains("电话***********", clip.Excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("138", clip.Excerpt, StringComparison.Ordinal);
        Assert.Contains("好的", clip.Excerpt, StringComparison.Ordinal);
        // The number is at characters 2–13 of a 2–6 s utterance: ~2.6–6.0 s, widened by 0.4 s → clip time ~1.2–5.0 s.
        // Band levels: inside the beep the 1 kHz band is loud and the speech (440 Hz) gone; after it, the opposite.
        var beepIn = await BandDbAsync(clip.WavPath, 2.0, 4.0, 1000);
        var beepOut = await BandDbAsync(clip.WavPath, 5.3, 5.9, 1000);
        var speechIn = await BandDbAsync(clip.WavPath, 2.0, 4.0, 440);
        var speechOut = await BandDbAsync(clip.WavPath, 5.3, 5.9, 440);
        Assert.True(beepIn - beepOut > 15, $"no beep over the phone number: 1 kHz {beepIn:F1} dB inside vs {beepOut:F1} dB after");
        Assert.True(speechOut - speechIn > 15, $"speech under the beep not silenced: 440 Hz {speechIn:F1} dB inside vs {speechOut:F1} dB after");
    }

    private static async Task<double> BandDbAsync(string wav, double from, double to, int hz)
    {
        var err = await RunAsync("-v", "info", "-i", wav, "-af",
            $"atrim={from.ToString(CultureInfo.InvariantCulture)}:{to.ToString(CultureInfo.InvariantCulture)},bandpass=f={hz}:width_type=h:w=60,volumedetect", "-f", "null", "-");
        var m = MeanVolume().Match(err);
        Assert.True(m.Success, err);
        return m.Groups[1].Value == "-inf" ? double.NegativeInfinity : double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, await err);
        return await err;
    }

    [GeneratedRegex(@"mean_volume: (-?[0-9.]+|-inf) dB")]
    private static partial Regex MeanVolume();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
