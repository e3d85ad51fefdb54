using System.Diagnostics;
using System.Globalization;
using System.Text;
using HotlineQA.Common;
using HotlineQA.Scoring.Privacy;
using HotlineQA.Storage;

namespace HotlineQA.Review;

/// <summary>A coaching clip: the recording cut around the evidence with padding, personal data beeped, and its masked transcript excerpt.</summary>
public sealed record Clip(string WavPath, double StartSec, double EndSec, string Excerpt, int BeepedSpans);

/// <summary>
/// Cuts a clip with FFmpeg: <c>[evidence start − pad, evidence end + pad]</c> clamped to the call, 16 kHz PCM WAV.
/// Personal data found by <see cref="PersonalDataMasker"/> is masked in the excerpt and, in the audio, silenced and
/// covered by a 1 kHz tone over its estimated time (widened by <see cref="BeepMarginSec"/>, since the time inside an
/// utterance is proportional to the character position, not aligned).
/// </summary>
public sealed class ClipExporter
{
    public const double BeepMarginSec = 0.4;

    public async Task<Clip> ExportAsync(string sourcePath, double durationSec, double evidenceStart, double evidenceEnd, double padSec,
        IReadOnlyList<UtteranceRow> utterances, string outputPath, CancellationToken ct = default)
    {
        if (!File.Exists(sourcePath)) throw new BadInputException($"{Path.GetFileName(sourcePath)}: the recording is gone");
        var start = Math.Max(0, evidenceStart - padSec);
        var end = Math.Min(durationSec > 0 ? durationSec : double.MaxValue, evidenceEnd + padSec);
        if (end <= start) throw new BadInputException($"{Path.GetFileName(sourcePath)}: empty clip window {start:F2}–{end:F2} s");

        var inClip = utterances.Where(u => u.EndSec > start && u.StartSec < end).OrderBy(u => u.StartSec).ToList();
        var excerpt = new StringBuilder();
        var beeps = new List<(double From, double To)>();
        foreach (var u in inClip)
        {
            var masked = PersonalDataMasker.Mask(u.Text, out var spans);
            excerpt.Append(CultureInfo.InvariantCulture, $"[{Fmt(u.StartSec)}–{Fmt(u.EndSec)}] {u.Speaker}: {masked}\n");
            var len = Math.Max(1, u.Text.Length);
            foreach (var (s, l, _) in spans)
            {
                // Times relative to the clip.
                var from = Math.Max(u.StartSec, u.StartSec + (u.EndSec - u.StartSec) * s / len - BeepMarginSec) - start;
                var to = Math.Min(u.EndSec, u.StartSec + (u.EndSec - u.StartSec) * (s + l) / len + BeepMarginSec) - start;
                from = Math.Max(0, from);
                to = Math.Min(end - start, to);
                if (to > from) beeps.Add((from, to));
            }
        }

        var args = new List<string> { "-v", "error", "-y", "-ss", Fmt3(start), "-t", Fmt3(end - start), "-i", sourcePath };
        if (beeps.Count > 0)
        {
            var inside = string.Join("+", beeps.Select(b => $"between(t,{Fmt3(b.From)},{Fmt3(b.To)})"));
            args.AddRange(["-f", "lavfi", "-t", Fmt3(end - start), "-i", "sine=frequency=1000:sample_rate=16000",
                "-filter_complex",
                $"[0:a]aresample=16000,volume=0:enable='{inside}'[speech];" +
                $"[1:a]volume=0.3,volume=0:enable='not({inside})',aformat=channel_layouts=stereo[tone];" +
                "[speech]aformat=channel_layouts=stereo[s2];[s2][tone]amix=inputs=2:duration=first:normalize=0[out]",
                "-map", "[out]"]);
        }
        else args.AddRange(["-ar", "16000"]);
        args.AddRange(["-c:a", "pcm_s16le", outputPath]);
        await RunFfmpegAsync(args, ct);
        return new Clip(outputPath, start, end, excerpt.ToString(), beeps.Count);
    }

    private static async Task RunFfmpegAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg could not be started");
        var err = p.StandardError.ReadToEndAsync(ct);
        await p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        // ffmpeg's message names the file and the problem; it carries no transcript text.
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed to cut the clip: {(await err).Trim()}");
    }

    private static string Fmt(double s) => TimeSpan.FromSeconds(s).ToString(@"m\:ss\.f", CultureInfo.InvariantCulture);
    private static string Fmt3(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);
}
