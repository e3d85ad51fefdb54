using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace HotlineQA.Transcription;

/// <summary>One file of a Hugging Face tree listing (<c>/api/models/{repo}/tree/main?recursive=true</c>).</summary>
public sealed record HubFile
{
    public string Type { get; init; } = "file";
    public string Path { get; init; } = "";
    public long Size { get; init; }
    /// <summary>Git blob id (SHA-1 of "blob {size}\0" + content) for plain files.</summary>
    public string Oid { get; init; } = "";
    public HubLfs? Lfs { get; init; }
    /// <summary>Plain SHA-1 of the content (whisper.cpp publishes its ggml files' checksums so); size 0 = take the size the server announces.</summary>
    public string? Sha1 { get; init; }
}

/// <summary>LFS pointer: <see cref="Oid"/> is the SHA-256 of the content.</summary>
public sealed record HubLfs(string Oid, long Size);

/// <summary>
/// Downloads model files: resumes any unfinished <c>.part</c> file with an HTTP Range request and checks every file
/// against its pin — the plain SHA-1 whisper.cpp publishes for its ggml files, a SHA-256 (LFS oid), or a git blob
/// SHA-1 — before moving it into place. A mismatch deletes the download.
/// </summary>
/// <param name="endpoint">Base URL of the Whisper catalogue's files (<see cref="WhisperCatalog.BaseUrl"/>; a loopback server in tests).</param>
public sealed class WhisperModelDownloader(HttpClient http, Uri endpoint)
{
    public static Uri DefaultEndpoint => WhisperCatalog.BaseUrl;

    /// <summary>Progress: file path, bytes so far, total bytes.</summary>
    public Action<string, long, long>? Progress { get; set; }

    /// <summary>A ggml Whisper model of the catalogue into <paramref name="folder"/>, checked against its pinned SHA-1; returns the file's path.</summary>
    public async Task<string> PullWhisperAsync(string id, string folder, CancellationToken ct)
    {
        if (!WhisperCatalog.Sha1.TryGetValue(id, out var sha1))
            throw new InvalidDataException($"whisper.cpp publishes no checksum for {WhisperCatalog.FileName(id)}, so it is not pulled; download it yourself and point --model / Whisper:ModelPath at it, or pull one of {string.Join(", ", WhisperCatalog.Sha1.Keys.Select(k => "whisper-" + k))}");
        var name = WhisperCatalog.FileName(id);
        var dest = Path.Combine(folder, name);
        await FetchAsync(new Uri(endpoint, name), new HubFile { Path = name, Sha1 = sha1 }, dest, ct);
        return dest;
    }

    /// <summary>One file from any URL into <paramref name="dest"/>: resumed from its <c>.part</c>, checked against
    /// <paramref name="file"/> (size, and the LFS SHA-256 or git blob id) before it is moved into place.</summary>
    public async Task FetchAsync(Uri url, HubFile file, string dest, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(dest))!);
        var size = file.Lfs?.Size ?? file.Size;
        // Size 0: unknown in advance (a checksum pin without a size); the server's Content-Length / Content-Range says it.
        var known = size > 0;
        if (File.Exists(dest) && (!known || new FileInfo(dest).Length == size) && await VerifyAsync(dest, file, ct) is null) return;
        var part = dest + ".part";
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (known && have > size) { File.Delete(part); have = 0; }
        if (!known || have < size)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, url);
            if (have > 0) req.Headers.Range = new RangeHeaderValue(have, null);
            using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct);
            if (resp.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable) { File.Delete(part); have = 0; throw new IOException($"{file.Path}: the server refused to resume; run again to restart it"); }
            if (!resp.IsSuccessStatusCode) throw new HttpRequestException($"{file.Path}: HTTP {(int)resp.StatusCode}");
            var append = have > 0 && resp.StatusCode == HttpStatusCode.PartialContent;
            if (!append) have = 0;
            if (!known) size = resp.Content.Headers.ContentRange?.Length ?? (resp.Content.Headers.ContentLength is { } len ? have + len : 0);
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
        if (size > 0 && new FileInfo(part).Length != size) throw new IOException($"{file.Path}: transfer ended at {new FileInfo(part).Length} of {size} bytes; run again to resume");
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
        if (file.Sha1 is { } plain)
        {
            var hash = Convert.ToHexStringLower(await SHA1.HashDataAsync(s, ct));
            return string.Equals(hash, plain, StringComparison.OrdinalIgnoreCase) ? null : $"sha1 {hash}, expected {plain}";
        }
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
