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
        var model = new Option<string?>("--model") { Description = "ggml Whisper model: a .bin file or a folder holding one (default: $HOTLINEQA_MODELS/ggml-base.bin)" };
        var language = new Option<string>("--language") { Description = "Language code (zh, en, …) or auto to detect it per chunk", DefaultValueFactory = _ => "zh" };
        var threads = new Option<int>("--threads") { Description = "whisper.cpp CPU threads per decode (0 = cores ÷ decodes at once; the two channels decode at once)" };
        var format = CliApp.FormatOption();
        var cmd = new Command("transcribe", "Transcribes a recording locally with Whisper (Whisper.net on whisper.cpp) into transcript JSON.") { file, model, language, threads, format };
        cmd.SetAction(async (pr, ct) =>
        {
            var path = pr.GetValue(file)!.FullName;
            var options = new WhisperOptions
            {
                ModelPath = pr.GetValue(model) is { Length: > 0 } m ? Path.GetFullPath(m) : null,
                Language = pr.GetValue(language)!,
                Threads = pr.GetValue(threads),
                Processors = 0, // the defaults: a stereo call's two channels decode at once, one thread each on 2 cores
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
