using System.CommandLine;
using System.Text.Json;
using HotlineQA.Common;
using HotlineQA.Transcription;

namespace HotlineQA.Host.Cli;

internal static class ModelsCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("name")
        {
            Description = "whisper-<size>[-q5_0|-q8_0] with size tiny, base, small, medium, large-v3 or large-v3-turbo (ggml files of whisper.cpp; pulled when whisper.cpp publishes their checksum), or silero-vad (the voice-activity model)",
        };
        var pull = new Command("pull", "Downloads a ggml Whisper model, or the Silero VAD model, checked against the checksum pinned in HotlineQA, resuming unfinished transfers (needs internet).") { name };
        pull.SetAction(async (pr, ct) => await PullAsync(pr.GetValue(name)!, ct));
        var format = CliApp.FormatOption();
        var list = new Command("list", "Lists installed models and whether each is usable.") { format };
        list.SetAction(pr => List(pr.GetValue(format)!));
        return new Command("models", "Manages local models: Whisper (ggml) and Silero VAD (folder: $HOTLINEQA_MODELS, default models/).") { pull, list };
    }

    private static string Root => WhisperModelFile.ModelsRoot;

    private static async Task<int> PullAsync(string name, CancellationToken ct)
    {
        var id = WhisperCatalog.Id(name);
        var silero = string.Equals(name, Audio.SileroVadDownload.Name, StringComparison.OrdinalIgnoreCase);
        if (id is null && !silero)
        {
            Console.Error.WriteLine($"hotlineqa models pull: unknown model '{name}'; choose whisper-<size>[-q5_0|-q8_0] with size {string.Join(", ", WhisperCatalog.Sizes)}, or {Audio.SileroVadDownload.Name}");
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
        if (!WhisperCatalog.Sha1.ContainsKey(id!))
        {
            Console.Error.WriteLine($"hotlineqa models pull: whisper.cpp publishes no checksum for {WhisperCatalog.FileName(id!)}, so HotlineQA does not pull it unchecked; pull one of {string.Join(", ", WhisperCatalog.Sha1.Keys.Select(k => "whisper-" + k))}, or fetch it yourself and point --model / Whisper:ModelPath at it");
            return CliApp.BadUsage;
        }
        var folder = Path.GetFullPath(Root);
        var dest = Path.Combine(folder, WhisperCatalog.FileName(id!));
        Console.Error.WriteLine($"pulling {new Uri(WhisperModelDownloader.DefaultEndpoint, WhisperCatalog.FileName(id!))} into {dest}");
        var code = await DownloadOrExplainAsync(dest, $"hotlineqa models pull whisper-{id}", () => downloader.PullWhisperAsync(id!, folder, ct));
        if (code != CliApp.Ok) return code;
        Console.Error.WriteLine($"whisper-{id} is ready: {dest} (sha1 checked); it is the default model when it is ggml-base.bin, else use --model / Whisper:ModelPath");
        return CliApp.Ok;
    }

    private static async Task<int> PullSileroAsync(WhisperModelDownloader downloader, CancellationToken ct)
    {
        var folder = Path.GetFullPath(Path.Combine(Root, Audio.SileroVadDownload.Name));
        var url = Audio.SileroVadDownload.Url;
        Console.Error.WriteLine($"pulling Silero VAD v5 ({url}) into {folder}");
        var path = "";
        var code = await DownloadOrExplainAsync(Path.Combine(folder, Audio.SileroVadDownload.FileName), "hotlineqa models pull silero-vad",
            async () => path = await Audio.SileroVadDownload.PullAsync(downloader, url, folder, ct));
        if (code != CliApp.Ok) return code;
        Console.Error.WriteLine($"{Audio.SileroVadDownload.Name} is ready: {path} (sha256 checked); HotlineQA finds it there when HOTLINEQA_MODELS points at {Path.GetFullPath(Root)} or it runs from this folder");
        return CliApp.Ok;
    }

    /// <summary>
    /// Runs a download. No network (or a server that does not answer) is a missing setup piece: exit 2, one line naming
    /// the file and the command that resumes it. A checksum mismatch (the download was deleted) or a disk error is exit 1.
    /// </summary>
    private static async Task<int> DownloadOrExplainAsync(string file, string command, Func<Task> download)
    {
        try
        {
            await download();
            return CliApp.Ok;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"hotlineqa models pull: cannot download {file}: {e.Message}; run '{command}' again where the internet is reachable (finished bytes are kept and the transfer resumes)");
            return CliApp.BadUsage;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"hotlineqa models pull: {file}: {e.Message}; run '{command}' again");
            return CliApp.BadInput;
        }
    }

    private static int List(string format)
    {
        var rows = new List<ModelRow>();
        if (Directory.Exists(Root))
        {
            var dir = Path.Combine(Root, Audio.SileroVadDownload.Name);
            if (Directory.Exists(dir))
            {
                var file = new FileInfo(Path.Combine(dir, Audio.SileroVadDownload.FileName));
                var ok = file.Exists && file.Length == Audio.SileroVadDownload.Size;
                rows.Add(new ModelRow(Audio.SileroVadDownload.Name, Path.GetFullPath(dir), ok, ok ? ["onnx"] : [],
                    Math.Round((file.Exists ? file.Length : 0) / 1048576.0, 1), ok ? null : $"expected {file.FullName} ({Audio.SileroVadDownload.Size} bytes); run 'hotlineqa models pull silero-vad'"));
            }
            foreach (var file in Directory.GetFiles(Root, "*.bin").Order(StringComparer.Ordinal))
            {
                WhisperModelFile.Resolve(file, out var problem);
                var stem = Path.GetFileNameWithoutExtension(file);
                var id = stem.StartsWith("ggml-", StringComparison.Ordinal) ? stem["ggml-".Length..] : stem;
                var quant = WhisperCatalog.Quantisations.FirstOrDefault(q => id.EndsWith("-" + q, StringComparison.Ordinal)) ?? "f16";
                rows.Add(new ModelRow("whisper-" + id, Path.GetFullPath(file), problem is null, [quant],
                    Math.Round(new FileInfo(file).Length / 1048576.0, 1), problem));
            }
            foreach (var part in Directory.GetFiles(Root, "*.bin.part").Order(StringComparer.Ordinal))
                rows.Add(new ModelRow(Path.GetFileName(part), Path.GetFullPath(part), false, [], Math.Round(new FileInfo(part).Length / 1048576.0, 1),
                    "unfinished download; run 'hotlineqa models pull' with its name again to resume"));
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
