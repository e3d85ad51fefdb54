using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HotlineQA.Transcription;

namespace HotlineQA.Tests.Transcription;

/// <summary>The downloader against a real HTTP server on 127.0.0.1 that speaks the Hugging Face tree/resolve API.</summary>
public sealed class WhisperModelDownloaderTests : IDisposable
{
    private const string Repo = "onnx-community/whisper-test";
    private readonly HttpListener _listener = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hotlineqa-pull-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, byte[]> _files = new();
    private readonly Dictionary<string, string> _lfsOidOverride = new();
    private readonly ConcurrentQueue<(string Path, string? Range)> _requests = new();
    private readonly Task _loop;
    private readonly Uri _endpoint;
    /// <summary>When set, the first request for this path sends this many bytes, then drops the connection.</summary>
    private (string Path, int Bytes)? _cutOnce;

    public WhisperModelDownloaderTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(_endpoint.ToString());
        _listener.Start();
        foreach (var name in WhisperCatalog.SideFiles) _files[name] = Encoding.UTF8.GetBytes($"{{\"name\":\"{name}\"}}");
        _files["onnx/encoder_model.onnx"] = RandomBytes(300_000, 1);
        _files["onnx/decoder_model_merged.onnx"] = RandomBytes(200_000, 2);
        _files["onnx/decoder_model_merged.onnx_data"] = RandomBytes(900_000, 3);
        _files["onnx/encoder_model_quantized.onnx"] = RandomBytes(1000, 4);
        _files["onnx/decoder_model_merged_quantized.onnx"] = RandomBytes(1000, 5);
        _files["onnx/decoder_model.onnx"] = RandomBytes(1000, 6); // the unmerged decoder: never fetched
        _loop = Task.Run(Serve);
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static bool IsLfs(string path) => path.StartsWith("onnx/", StringComparison.Ordinal);

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { Handle(ctx); }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
        }
    }

    private void Handle(HttpListenerContext ctx)
    {
        var path = Uri.UnescapeDataString(ctx.Request.Url!.AbsolutePath);
        var res = ctx.Response;
        if (path == $"/api/models/{Repo}/tree/main")
        {
            var listing = _files.Select(kv => IsLfs(kv.Key)
                ? (object)new { type = "file", path = kv.Key, size = 134, oid = "0000", lfs = new { oid = _lfsOidOverride.GetValueOrDefault(kv.Key) ?? Convert.ToHexStringLower(SHA256.HashData(kv.Value)), size = kv.Value.Length, pointerSize = 134 } }
                : new { type = "file", path = kv.Key, size = kv.Value.Length, oid = GitBlobSha1(kv.Value) }).ToList();
            listing.Add(new { type = "directory", path = "onnx", size = 0, oid = "1111" });
            var json = JsonSerializer.SerializeToUtf8Bytes(listing);
            res.ContentType = "application/json";
            res.OutputStream.Write(json);
            res.Close();
            return;
        }
        var prefix = $"/{Repo}/resolve/main/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal) || !_files.TryGetValue(path[prefix.Length..], out var data))
        {
            res.StatusCode = 404;
            res.Close();
            return;
        }
        var file = path[prefix.Length..];
        var range = ctx.Request.Headers["Range"];
        _requests.Enqueue((file, range));
        var from = 0;
        if (range is { } r && r.StartsWith("bytes=", StringComparison.Ordinal))
        {
            from = int.Parse(r["bytes=".Length..].TrimEnd('-'));
            res.StatusCode = 206;
            res.AddHeader("Content-Range", $"bytes {from}-{data.Length - 1}/{data.Length}");
        }
        res.ContentLength64 = data.Length - from;
        if (_cutOnce is { } cut && cut.Path == file)
        {
            _cutOnce = null;
            res.OutputStream.Write(data, from, cut.Bytes);
            res.OutputStream.Flush();
            res.Abort(); // connection dropped mid-transfer
            return;
        }
        res.OutputStream.Write(data, from, data.Length - from);
        res.Close();
    }

    private static string GitBlobSha1(byte[] data) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {data.Length}\0"), .. data]));

    private WhisperModelDownloader Downloader() => new(new HttpClient { Timeout = TimeSpan.FromSeconds(20) }, _endpoint);

    [Fact]
    public async Task PullAsync_ShouldFetchAndVerifyTheFp32Files_WhenTheServerIsHealthy()
    {
        await Downloader().PullAsync(Repo, _dir, "fp32", CancellationToken.None);

        foreach (var f in WhisperCatalog.SideFiles.Concat(["onnx/encoder_model.onnx", "onnx/decoder_model_merged.onnx", "onnx/decoder_model_merged.onnx_data"]))
            Assert.Equal(_files[f], File.ReadAllBytes(Path.Combine(_dir, f)));
        Assert.False(File.Exists(Path.Combine(_dir, "onnx", "encoder_model_quantized.onnx")));
        Assert.Empty(Directory.GetFiles(_dir, "*.part", SearchOption.AllDirectories));
        WhisperModelFiles.Locate(_dir, "auto", out var problem);
        Assert.Null(problem);
    }

    [Fact]
    public async Task SileroPull_ShouldFetchTheRealModelAndCheckItsSha256_WhenServed()
    {
        // The real model file served under the repository's layout; the pinned SHA-256 must match it byte for byte.
        var real = File.ReadAllBytes(HotlineQA.TestSupport.TestPaths.Shared("data/silero-vad/silero_vad.onnx"));
        _files["onnx/silero_vad.onnx"] = real;
        var url = new Uri(_endpoint, $"{Repo}/resolve/main/onnx/silero_vad.onnx");
        var folder = Path.Combine(_dir, "silero-vad");

        var path = await HotlineQA.Audio.SileroVadDownload.PullAsync(Downloader(), url, folder, CancellationToken.None);

        Assert.Equal(Path.Combine(folder, "silero_vad.onnx"), path);
        Assert.Equal(real, File.ReadAllBytes(path));
        // A second pull finds the checked file and does not download it again.
        var before = _requests.Count;
        await HotlineQA.Audio.SileroVadDownload.PullAsync(Downloader(), url, folder, CancellationToken.None);
        Assert.Equal(before, _requests.Count);
    }

    [Fact]
    public async Task SileroPull_ShouldRefuseAndDeleteTheFile_WhenTheServerSendsOtherBytes()
    {
        var tampered = File.ReadAllBytes(HotlineQA.TestSupport.TestPaths.Shared("data/silero-vad/silero_vad.onnx"));
        tampered[1000] ^= 0xFF;
        _files["onnx/silero_vad.onnx"] = tampered;
        var folder = Path.Combine(_dir, "silero-vad");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => HotlineQA.Audio.SileroVadDownload.PullAsync(
            Downloader(), new Uri(_endpoint, $"{Repo}/resolve/main/onnx/silero_vad.onnx"), folder, CancellationToken.None));

        Assert.Contains("checksum mismatch", e.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task PullAsync_ShouldResumeWithARangeRequest_WhenATransferWasInterrupted()
    {
        _cutOnce = ("onnx/decoder_model_merged.onnx_data", 400_000);

        await Assert.ThrowsAnyAsync<Exception>(() => Downloader().PullAsync(Repo, _dir, "fp32", CancellationToken.None));
        var part = Path.Combine(_dir, "onnx", "decoder_model_merged.onnx_data.part");
        var kept = new FileInfo(part).Length;
        Assert.InRange(kept, 1, 400_000);
        WhisperModelFiles.Locate(_dir, "fp32", out var problem);
        Assert.Contains("unfinished downloads", problem);

        await Downloader().PullAsync(Repo, _dir, "fp32", CancellationToken.None);

        Assert.Contains(("onnx/decoder_model_merged.onnx_data", $"bytes={kept}-"), _requests);
        Assert.Equal(_files["onnx/decoder_model_merged.onnx_data"], File.ReadAllBytes(Path.Combine(_dir, "onnx", "decoder_model_merged.onnx_data")));
        Assert.False(File.Exists(part));
        // Files finished in the first run were checked and kept, not fetched again.
        Assert.Single(_requests, q => q.Path == "onnx/encoder_model.onnx");
    }

    [Fact]
    public async Task PullAsync_ShouldRejectAndDeleteTheFile_WhenItsSha256DoesNotMatch()
    {
        _lfsOidOverride["onnx/encoder_model.onnx"] = new string('a', 64);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Downloader().PullAsync(Repo, _dir, "fp32", CancellationToken.None));

        Assert.Contains("onnx/encoder_model.onnx", e.Message);
        Assert.Contains("checksum mismatch", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "onnx", "encoder_model.onnx")));
        Assert.False(File.Exists(Path.Combine(_dir, "onnx", "encoder_model.onnx.part")));
    }

    [Fact]
    public async Task PullAsync_ShouldRejectAPlainFile_WhenItsGitBlobIdDoesNotMatch()
    {
        var good = _files["config.json"];
        var listing = await Downloader().ListAsync(Repo, "main", CancellationToken.None);
        _files["config.json"] = Encoding.UTF8.GetBytes("{\"tampered\":1}");
        var config = listing.Single(f => f.Path == "config.json") with { Size = _files["config.json"].Length };

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Downloader().FetchAsync(Repo, "main", config, _dir, CancellationToken.None));

        Assert.Contains("git blob sha1", e.Message);
        Assert.NotEqual(good, _files["config.json"]);
        Assert.False(File.Exists(Path.Combine(_dir, "config.json")));
    }

    [Fact]
    public void Select_ShouldPickTheQuantizedPair_WhenAskedForIt()
    {
        var tree = _files.Keys.Select(p => new HubFile { Path = p }).ToList();

        var chosen = WhisperModelDownloader.Select(tree, "quantized").Select(f => f.Path).ToList();

        Assert.Contains("onnx/encoder_model_quantized.onnx", chosen);
        Assert.Contains("onnx/decoder_model_merged_quantized.onnx", chosen);
        Assert.DoesNotContain("onnx/decoder_model.onnx", chosen);
        Assert.DoesNotContain("onnx/encoder_model.onnx", chosen);
        Assert.Throws<InvalidDataException>(() => WhisperModelDownloader.Select(tree, "int4"));
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        try { Directory.Delete(_dir, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
