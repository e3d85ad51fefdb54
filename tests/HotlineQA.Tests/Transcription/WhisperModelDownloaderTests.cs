using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using HotlineQA.Transcription;

namespace HotlineQA.Tests.Transcription;

/// <summary>The downloader against a real HTTP server on 127.0.0.1 laid out like the ggml model repository (files at the root, Range requests).</summary>
public sealed class WhisperModelDownloaderTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hotlineqa-pull-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, byte[]> _files = new();
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
        _files["ggml-base.bin"] = RandomBytes(900_000, 1);
        _files["ggml-tiny.bin"] = RandomBytes(300_000, 2);
        _loop = Task.Run(Serve);
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

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
        if (!_files.TryGetValue(path.TrimStart('/'), out var data))
        {
            res.StatusCode = 404;
            res.Close();
            return;
        }
        var file = path.TrimStart('/');
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

    private WhisperModelDownloader Downloader() => new(new HttpClient { Timeout = TimeSpan.FromSeconds(20) }, _endpoint);

    private string Sha1Of(string file) => Convert.ToHexStringLower(SHA1.HashData(_files[file]));

    [Fact]
    public async Task FetchAsync_ShouldKeepTheFile_WhenItsPlainSha1MatchesThePinAndTheSizeIsLearnedFromTheServer()
    {
        var dest = Path.Combine(_dir, "ggml-tiny.bin");

        await Downloader().FetchAsync(new Uri(_endpoint, "ggml-tiny.bin"), new HubFile { Path = "ggml-tiny.bin", Sha1 = Sha1Of("ggml-tiny.bin") }, dest, CancellationToken.None);

        Assert.Equal(_files["ggml-tiny.bin"], File.ReadAllBytes(dest));
        Assert.Empty(Directory.GetFiles(_dir, "*.part"));
        // A second fetch finds the checked file and does not download it again.
        var before = _requests.Count;
        await Downloader().FetchAsync(new Uri(_endpoint, "ggml-tiny.bin"), new HubFile { Path = "ggml-tiny.bin", Sha1 = Sha1Of("ggml-tiny.bin") }, dest, CancellationToken.None);
        Assert.Equal(before, _requests.Count);
    }

    [Fact]
    public async Task FetchAsync_ShouldResumeWithARangeRequest_WhenAGgmlTransferWasInterrupted()
    {
        _cutOnce = ("ggml-base.bin", 400_000);
        var dest = Path.Combine(_dir, "ggml-base.bin");
        var pin = new HubFile { Path = "ggml-base.bin", Sha1 = Sha1Of("ggml-base.bin") };

        await Assert.ThrowsAnyAsync<Exception>(() => Downloader().FetchAsync(new Uri(_endpoint, "ggml-base.bin"), pin, dest, CancellationToken.None));
        var kept = new FileInfo(dest + ".part").Length;
        Assert.InRange(kept, 1, 400_000);
        Assert.False(File.Exists(dest));

        await Downloader().FetchAsync(new Uri(_endpoint, "ggml-base.bin"), pin, dest, CancellationToken.None);

        Assert.Contains(("ggml-base.bin", $"bytes={kept}-"), _requests);
        Assert.Equal(_files["ggml-base.bin"], File.ReadAllBytes(dest));
        Assert.False(File.Exists(dest + ".part"));
    }

    [Fact]
    public async Task PullWhisperAsync_ShouldRefuseAndDeleteTheFile_WhenTheServedBytesDoNotMatchThePinnedSha1()
    {
        // The catalogue's real pin for ggml-base.bin; the server sends other bytes.
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Downloader().PullWhisperAsync("base", _dir, CancellationToken.None));

        Assert.Contains("ggml-base.bin", e.Message);
        Assert.Contains($"expected {WhisperCatalog.Sha1["base"]}", e.Message);
        Assert.Empty(Directory.GetFiles(_dir));
        Assert.Single(_requests, r => r.Path == "ggml-base.bin");
    }

    [Fact]
    public async Task PullWhisperAsync_ShouldDownloadNothing_WhenWhisperCppPublishesNoChecksumForTheFile()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Downloader().PullWhisperAsync("tiny-q8_0", _dir, CancellationToken.None));

        Assert.Contains("ggml-tiny-q8_0.bin", e.Message);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task SileroPull_ShouldFetchTheRealModelAndCheckItsSha256_WhenServed()
    {
        // The real model file; the pinned SHA-256 must match it byte for byte.
        var real = File.ReadAllBytes(HotlineQA.TestSupport.TestPaths.Shared("data/silero-vad/silero_vad.onnx"));
        _files["silero_vad.onnx"] = real;
        var url = new Uri(_endpoint, "silero_vad.onnx");
        var folder = Path.Combine(_dir, "silero-vad");

        var path = await HotlineQA.Audio.SileroVadDownload.PullAsync(Downloader(), url, folder, CancellationToken.None);

        Assert.Equal(Path.Combine(folder, "silero_vad.onnx"), path);
        Assert.Equal(real, File.ReadAllBytes(path));
        var before = _requests.Count;
        await HotlineQA.Audio.SileroVadDownload.PullAsync(Downloader(), url, folder, CancellationToken.None);
        Assert.Equal(before, _requests.Count);
    }

    [Fact]
    public async Task SileroPull_ShouldRefuseAndDeleteTheFile_WhenTheServerSendsOtherBytes()
    {
        var tampered = File.ReadAllBytes(HotlineQA.TestSupport.TestPaths.Shared("data/silero-vad/silero_vad.onnx"));
        tampered[1000] ^= 0xFF;
        _files["silero_vad.onnx"] = tampered;
        var folder = Path.Combine(_dir, "silero-vad");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => HotlineQA.Audio.SileroVadDownload.PullAsync(
            Downloader(), new Uri(_endpoint, "silero_vad.onnx"), folder, CancellationToken.None));

        Assert.Contains("checksum mismatch", e.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        try { Directory.Delete(_dir, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
