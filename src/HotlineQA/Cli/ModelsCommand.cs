using System.CommandLine;
using System.Text.Json;
using HotlineQA.Common;
using HotlineQA.Transcription;

namespace HotlineQA.Host.Cli;

internal static class ModelsCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("name") { Description = "whisper-tiny, whisper-base, whisper-small, whisper-medium, whisper-large-v3, whisper-large-v3-turbo, or silero-vad (the voice-activity model)" };
        var variant = new Option<string>("--variant") { Description = "fp32 (default) or quantized (int8, smaller and faster, a little less accurate)", DefaultValueFactory = _ => "fp32" }
            .AcceptOnlyFromAmong("fp32", "quantized");
        var repo = new Option<string?>("--repo") { Description = "Hugging Face repository to pull from instead of the catalogue's (same onnx-community layout)" };
        var pull = new Command("pull", "Downloads a Whisper ONNX model, or the Silero VAD model, with SHA-256 checks and resumable transfers (needs internet).") { name, variant, repo };
        pull.SetAction(async (pr, ct) => await PullAsync(pr.GetValue(name)!, pr.GetValue(variant)!, pr.GetValue(repo), ct));
        var format = CliApp.FormatOption();
        var list = new Command("list", "Lists installed models and whether each is complete.") { format };
        list.SetAction(pr => List(pr.GetValue(format)!));
        return new Command("models", "Manages local models: Whisper and Silero VAD (folder: $HOTLINEQA_MODELS, default models/).") { pull, list };
    }

    private static string Root => Environment.GetEnvironmentVariable("HOTLINEQA_MODELS") is { Length: > 0 } r ? r : "models";

    private static async Task<int> PullAsync(string name, string variant, string? repoOverride, CancellationToken ct)
    {
        var size = WhisperCatalog.Size(name);
        var silero = string.Equals(name, Audio.SileroVadDownload.Name, StringComparison.OrdinalIgnoreCase);
        if (size is null && !silero)
        {
            Console.Error.WriteLine($"hotlineqa models pull: unknown model '{name}'; choose one of {string.Join(", ", WhisperCatalog.Repos.Keys.Select(k => "whisper-" + k))}, {Audio.SileroVadDownload.Name}");
            return CliApp.BadUsage;
        }
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("hotlineqa-models-pull/1.0");
        var lastShown = (File: "", Percent: -1);
        var downloader = new WhisperModelDownloader(http, WhisperModelDownloader.DefaultEndpoint)
        {
            Progress = (file, have, total) =>
            {
                var pct = total > 0 ? (int)(have * 100 / total) : 100;
                if (file == lastShown.File && pct / 10 == lastShown.Percent / 10) return;
                lastShown = (file, pct);
                Console.Error.WriteLine($"  {file}: {pct}% of {total / 1048576.0:F1} MB");
            },
        };
        if (silero) return await PullSileroAsync(downloader, ct);
        var repo = repoOverride ?? WhisperCatalog.Repos[size!];
        var folder = Path.GetFullPath(Path.Combine(Root, "whisper-" + size));
        Console.Error.WriteLine($"pulling {repo} ({variant}) into {folder}");
        if (!await DownloadOrExplainAsync(() => downloader.PullAsync(repo, folder, variant, ct))) return CliApp.BadInput;
        WhisperModelFiles.Locate(folder, variant, out var problem);
        if (problem is not null) { Console.Error.WriteLine($"hotlineqa models pull: {problem}"); return CliApp.BadInput; }
        Console.Error.WriteLine($"whisper-{size} is ready in {folder} (all files checked)");
        return CliApp.Ok;
    }

    private static async Task<int> PullSileroAsync(WhisperModelDownloader downloader, CancellationToken ct)
    {
        var folder = Path.GetFullPath(Path.Combine(Root, Audio.SileroVadDownload.Name));
        var url = Audio.SileroVadDownload.Url;
        Console.Error.WriteLine($"pulling Silero VAD v5 ({url}) into {folder}");
        var path = "";
        if (!await DownloadOrExplainAsync(async () => path = await Audio.SileroVadDownload.PullAsync(downloader, url, folder, ct))) return CliApp.BadInput;
        Console.Error.WriteLine($"{Audio.SileroVadDownload.Name} is ready: {path} (sha256 checked); HotlineQA finds it there when HOTLINEQA_MODELS points at {Path.GetFullPath(Root)} or it runs from this folder");
        return CliApp.Ok;
    }

    /// <summary>Runs a download; a network, disk or checksum failure becomes one line and the hint that a rerun resumes.</summary>
    private static async Task<bool> DownloadOrExplainAsync(Func<Task> download)
    {
        try
        {
            await download();
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or TaskCanceledException)
        {
            Console.Error.WriteLine($"hotlineqa models pull: {e.Message}");
            Console.Error.WriteLine("Run the same command again to resume; finished files are checked and kept.");
            return false;
        }
    }

    private static int List(string format)
    {
        var rows = new List<ModelRow>();
        if (Directory.Exists(Root))
        {
            foreach (var dir in Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
            {
                if (Path.GetFileName(dir) == Audio.SileroVadDownload.Name)
                {
                    var file = new FileInfo(Path.Combine(dir, Audio.SileroVadDownload.FileName));
                    var ok = file.Exists && file.Length == Audio.SileroVadDownload.Size;
                    rows.Add(new ModelRow(Audio.SileroVadDownload.Name, Path.GetFullPath(dir), ok, ok ? ["onnx"] : [],
                        Math.Round((file.Exists ? file.Length : 0) / 1048576.0, 1), ok ? null : $"expected {file.FullName} ({Audio.SileroVadDownload.Size} bytes); run 'hotlineqa models pull silero-vad'"));
                    continue;
                }
                WhisperModelFiles.Locate(dir, "auto", out var problem);
                var bytes = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                var quantized = File.Exists(Path.Combine(dir, "onnx", "encoder_model_quantized.onnx"));
                var fp32 = File.Exists(Path.Combine(dir, "onnx", "encoder_model.onnx"));
                rows.Add(new ModelRow(Path.GetFileName(dir), Path.GetFullPath(dir), problem is null,
                    new[] { fp32 ? "fp32" : null, quantized ? "quantized" : null }.OfType<string>().ToArray(),
                    Math.Round(bytes / 1048576.0, 1), problem));
            }
        }
        if (format == "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, HotlineJson.Options));
            return CliApp.Ok;
        }
        if (rows.Count == 0) Console.WriteLine($"no models in {Path.GetFullPath(Root)}; try 'hotlineqa models pull whisper-base'");
        foreach (var r in rows) Console.WriteLine($"{r.Name,-24} {(r.Complete ? "complete" : "INCOMPLETE"),-10} {string.Join("+", r.Variants),-15} {r.SizeMb,8} MB  {r.Problem ?? ""}");
        return CliApp.Ok;
    }

    private sealed record ModelRow(string Name, string Path, bool Complete, string[] Variants, double SizeMb, string? Problem);
}
