using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.Transcription;

namespace HotlineQA.Host.Cli;

internal static class TranscribeCommand
{
    public static Command Build()
    {
        var file = new Argument<FileInfo>("recording") { Description = "An audio file" };
        var model = new Option<DirectoryInfo?>("--model") { Description = "Whisper ONNX model folder (default: $HOTLINEQA_MODELS/whisper-base)" };
        var language = new Option<string>("--language") { Description = "Language code (zh, en, …) or auto to detect it per channel", DefaultValueFactory = _ => "zh" };
        var variant = new Option<string>("--variant") { Description = "auto, fp32 or quantized", DefaultValueFactory = _ => "auto" }
            .AcceptOnlyFromAmong("auto", "fp32", "quantized");
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads (0 = its default)" };
        var format = CliApp.FormatOption();
        var cmd = new Command("transcribe", "Transcribes a recording locally with Whisper (ONNX Runtime) into transcript JSON.") { file, model, language, variant, threads, format };
        cmd.SetAction(async (pr, ct) =>
        {
            var path = pr.GetValue(file)!.FullName;
            var options = new WhisperOptions
            {
                ModelPath = pr.GetValue(model)?.FullName,
                Language = pr.GetValue(language)!,
                Variant = pr.GetValue(variant)!,
                Threads = pr.GetValue(threads),
            };
            using var transcriber = new WhisperTranscriber(options);
            if (transcriber.Unavailable is { } why)
            {
                // Not the recording's fault: a setup problem, reported like analyze-audio's missing VAD model.
                Console.Error.WriteLine($"hotlineqa transcribe: {why}");
                return CliApp.BadUsage;
            }
            Transcript transcript;
            try
            {
                transcript = await transcriber.TranscribeAsync(path, timeline: null, ct);
            }
            catch (Exception e) when (e is WhisperModelException or InvalidOperationException)
            {
                Console.Error.WriteLine($"hotlineqa transcribe: {e.Message}");
                return CliApp.BadUsage;
            }
            if (pr.GetValue(format) == "json")
                Console.WriteLine(JsonSerializer.Serialize(transcript, HotlineJson.Indented));
            else
                Console.Write(ToText(transcript));
            return CliApp.Ok;
        });
        return cmd;
    }

    private static string ToText(Transcript t)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{t.CallId}: {t.EffectiveDuration:F1} s, {t.Channels} channel(s), language {t.Language}, {t.Utterances.Count} utterance(s)");
        foreach (var u in t.Utterances)
            w.WriteLine($"{u.Start,8:F2} – {u.End,8:F2}  {u.Speaker,-9} {u.Text}  ({u.Confidence:F2})");
        return w.ToString();
    }
}
