using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HotlineQA.Audio;
using HotlineQA.Common;

namespace HotlineQA.Host.Cli;

internal static class AnalyzeAudioCommand
{
    public static Command Build()
    {
        var file = new Argument<FileInfo>("recording") { Description = "An audio file (WAV, MP3, FLAC, OGG, AMR, M4A…)" };
        var format = CliApp.FormatOption();
        var cmd = new Command("analyze-audio", "Decodes a recording, splits channels, runs VAD: speech per speaker, silences, overlaps, talk ratio.") { file, format };
        cmd.SetAction(async (pr, ct) =>
        {
            var path = pr.GetValue(file)!.FullName;
            AudioAnalysis result;
            try
            {
                using var analyzer = new AudioAnalyzer();
                result = await analyzer.AnalyzeAsync(path, ct);
            }
            catch (InvalidOperationException e)
            {
                // Setup problems (no ffmpeg, no VAD model) are not the recording's fault.
                Console.Error.WriteLine($"hotlineqa analyze-audio: {e.Message}");
                return CliApp.BadUsage;
            }
            if (pr.GetValue(format) == "json")
                Console.WriteLine(JsonSerializer.Serialize(result, HotlineJson.Indented));
            else
                Console.Write(ToText(Path.GetFileName(path), result));
            return CliApp.Ok;
        });
        return cmd;
    }

    private static string ToText(string name, AudioAnalysis a)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{name}: {a.DurationSec:F1} s, {a.Channels} channel(s), {a.SampleRate} Hz{(a.Codec is { Length: > 0 } c ? ", " + c : "")}");
        foreach (var warning in a.Warnings) w.WriteLine($"warning: {warning}");
        w.WriteLine("talk ratio: " + string.Join(", ", a.TalkRatio.Select(kv => $"{kv.Key} {kv.Value:P0}")) + $", silence {a.SilenceRatio:P0}");
        w.WriteLine($"speech ({a.Speech.Count}):");
        foreach (var s in a.Speech)
            w.WriteLine($"  {s.Start,8:F2} – {s.End,8:F2}  {s.Speaker,-9} {s.LoudnessDb,6:F1} dBFS  {(s.PitchHz is { } p ? $"{p:F0} Hz" : "")}");
        w.WriteLine($"silences ({a.Silences.Count}):");
        foreach (var s in a.Silences) w.WriteLine($"  {s.Start,8:F2} – {s.End,8:F2}");
        w.WriteLine($"overlaps ({a.Overlaps.Count}):");
        foreach (var o in a.Overlaps) w.WriteLine($"  {o.Start,8:F2} – {o.End,8:F2}  interrupter {o.Interrupter}");
        return w.ToString();
    }
}
