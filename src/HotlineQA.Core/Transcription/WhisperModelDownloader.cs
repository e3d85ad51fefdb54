using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotlineQA.Transcription;

/// <summary>The Whisper sizes <c>models pull</c> knows, and the Hugging Face repositories (onnx-community/optimum layout) they come from.</summary>
public static class WhisperCatalog
{
    public static readonly IReadOnlyDictionary<string, string> Repos = new Dictionary<string, string>
    {
        ["tiny"] = "onnx-community/whisper-tiny",
        ["base"] = "onnx-community/whisper-base",
        ["small"] = "onnx-community/whisper-small",
        ["medium"] = "Xenova/whisper-medium",
        ["large-v3"] = "Xenova/whisper-large-v3",
        ["large-v3-turbo"] = "onnx-community/whisper-large-v3-turbo",
    };

    /// <summary>The tokenizer and config files fetched beside the ONNX files.</summary>
    public static readonly string[] SideFiles =
    [
        "config.json", "generation_config.json", "preprocessor_config.json", "vocab.json", "merges.txt", "added_tokens.json",
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "normalizer.json",
    ];

    /// <summary>"whisper-base" or "base" → "base"; null when unknown.</summary>
    public static string? Size(string name)
    {
        var n = name.StartsWith("whisper-", StringComparison.OrdinalIgnoreCase) ? name["whisper-".Length..] : name;
        return Repos.ContainsKey(n.ToLowerInvariant()) ? n.ToLowerInvariant() : null;
    }
}

/// <summary>One file of a Hugging Face tree listing (<c>/api/models/{repo}/tree/main?recursive=true</c>).</summary>
public sealed record HubFile
{
    public string Type { get; init; } = "file";
    public string Path { get; init; } = "";
    public long Size { get; init; }
    /// <summary>Git blob id (SHA-1 of "blob {size}\0" + content) for plain files.</summary>
    public string Oid { get; init; } = "";
    public HubLfs? Lfs { get; init; }
}

/// <summary>LFS pointer: <see cref="Oid"/> is the SHA-256 of the content.</summary>
public sealed record HubLfs(string Oid, long Size);

/// <summary>
/// Downloads a Whisper model from a Hugging Face repository: lists the tree, picks the config/tokenizer files and
/// the encoder/merged-decoder ONNX files of one variant (with their external <c>.onnx_data</c>), resumes any
/// unfinished <c>.part</c> file with an HTTP Range request, and checks every file — SHA-256 against the LFS oid,
/// or the git blob SHA-1 for small plain files — before moving it into place. A mismatch deletes the file.
/// </summary>
public sealed class WhisperModelDownloader(HttpClient http, Uri endpoint)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    public static Uri DefaultEndpoint => new(Environment.GetEnvironmentVariable("HF_ENDPOINT") is { Length: > 0 } e ? e.TrimEnd('/') + "/" : "https://huggingface.co/");

    /// <summary>Progress: file path, bytes so far, total bytes.</summary>
    public Action<string, long, long>? Progress { get; set; }

    public async Task<IReadOnlyList<HubFile>> ListAsync(string repo, string revision, CancellationToken ct)
    {
        var url = new Uri(endpoint, $"api/models/{repo}/tree/{revision}?recursive=true");
        using var resp = await http.GetAsync(url, ct);
        if (!resp.IsSuccessStatusCode) throw new HttpRequestException($"listing {repo} failed: HTTP {(int)resp.StatusCode} from {url}");
        var files = await resp.Content.ReadFromJsonAsyncSafe<List<HubFile>>(Json, ct) ?? [];
        return files.Where(f => f.Type == "file").ToList();
    }

    /// <summary>The files of a model: config/tokenizer files plus the ONNX pair of <paramref name="variant"/> (fp32 or quantized).</summary>
    public static IReadOnlyList<HubFile> Select(IReadOnlyList<HubFile> tree, string variant)
    {
        var suffix = variant switch { "fp32" or "" => "", "quantized" => "_quantized", _ => "_" + variant };
        bool Onnx(string p, string stem) => p == $"onnx/{stem}{suffix}.onnx" || p.StartsWith($"onnx/{stem}{suffix}.onnx_data", StringComparison.Ordinal);
        var chosen = tree.Where(f => WhisperCatalog.SideFiles.Contains(f.Path) || Onnx(f.Path, "encoder_model") || Onnx(f.Path, "decoder_model_merged")).ToList();
        foreach (var need in new[] { $"onnx/encoder_model{suffix}.onnx", $"onnx/decoder_model_merged{suffix}.onnx" }.Concat(WhisperModelFiles.ConfigFiles))
            if (!chosen.Any(f => f.Path == need)) throw new InvalidDataException($"the repository has no {need}");
        return chosen;
    }

    public async Task PullAsync(string repo, string folder, string variant, CancellationToken ct, string revision = "main")
    {
        var files = Select(await ListAsync(repo, revision, ct), variant);
        Directory.CreateDirectory(folder);
        foreach (var f in files) await FetchAsync(repo, revision, f, folder, ct);
    }

    public Task FetchAsync(string repo, string revision, HubFile file, string folder, CancellationToken ct) =>
        FetchAsync(new Uri(endpoint, $"{repo}/resolve/{revision}/{file.Path}"), file, Path.Combine(folder, file.Path.Replace('/', Path.DirectorySeparatorChar)), ct);

    /// <summary>One file from any URL into <paramref name="dest"/>: resumed from its <c>.part</c>, checked against
    /// <paramref name="file"/> (size, and the LFS SHA-256 or git blob id) before it is moved into place.</summary>
    public async Task FetchAsync(Uri url, HubFile file, string dest, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(dest))!);
        var size = file.Lfs?.Size ?? file.Size;
        if (File.Exists(dest) && new FileInfo(dest).Length == size && await VerifyAsync(dest, file, ct) is null) return;
        var part = dest + ".part";
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (have > size) { File.Delete(part); have = 0; }
        if (have < size)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, url);
            if (have > 0) req.Headers.Range = new RangeHeaderValue(have, null);
            using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct);
            if (resp.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable) { File.Delete(part); have = 0; throw new IOException($"{file.Path}: the server refused to resume; run again to restart it"); }
            if (!resp.IsSuccessStatusCode) throw new HttpRequestException($"{file.Path}: HTTP {(int)resp.StatusCode}");
            var append = have > 0 && resp.StatusCode == HttpStatusCode.PartialContent;
            if (!append) have = 0;
            await using var src = await resp.Content.ReadAsStreamAsync(ct);
            await using var dst = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            var buf = new byte[1 << 16];
            int n;
            while ((n = await src.ReadAsync(buf, ct)) > 0)
            {
                await dst.WriteAsync(buf.AsMemory(0, n), ct);
                have += n;
                Progress?.Invoke(file.Path, have, size);
            }
        }
        if (new FileInfo(part).Length != size) throw new IOException($"{file.Path}: transfer ended at {new FileInfo(part).Length} of {size} bytes; run again to resume");
        if (await VerifyAsync(part, file, ct) is { } bad)
        {
            File.Delete(part);
            throw new InvalidDataException($"{file.Path}: checksum mismatch ({bad}); the download was deleted");
        }
        File.Move(part, dest, overwrite: true);
    }

    /// <summary>Null when the file matches its listing; otherwise what differs.</summary>
    public static async Task<string?> VerifyAsync(string path, HubFile file, CancellationToken ct)
    {
        await using var s = File.OpenRead(path);
        if (file.Lfs is { } lfs)
        {
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(s, ct));
            return string.Equals(sha, lfs.Oid, StringComparison.OrdinalIgnoreCase) ? null : $"sha256 {sha}, expected {lfs.Oid}";
        }
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(Encoding.ASCII.GetBytes($"blob {s.Length}\0"));
        var buf = new byte[1 << 16];
        int n;
        while ((n = await s.ReadAsync(buf, ct)) > 0) sha1.AppendData(buf, 0, n);
        var oid = Convert.ToHexStringLower(sha1.GetHashAndReset());
        return string.Equals(oid, file.Oid, StringComparison.OrdinalIgnoreCase) ? null : $"git blob sha1 {oid}, expected {file.Oid}";
    }
}

internal static class HttpContentJson
{
    public static async Task<T?> ReadFromJsonAsyncSafe<T>(this HttpContent content, JsonSerializerOptions options, CancellationToken ct)
    {
        await using var s = await content.ReadAsStreamAsync(ct);
        try { return await JsonSerializer.DeserializeAsync<T>(s, options, ct); }
        catch (JsonException e) { throw new InvalidDataException($"the repository listing is not valid JSON ({e.Message})", e); }
    }
}
