using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HotlineQA.Host.Cli;
using HotlineQA.Transcription;

namespace HotlineQA.Tests.Transcription;

// In-process CliApp runs write to the process-wide Console.Error: in the "console" collection, so they never land in
// another test's captured output (a RubricRefusalTests case failed on a bad-usage line from here).
[Collection("console")]
public sealed class ModelsCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hotlineqa-models-" + Guid.NewGuid().ToString("N"));

    public ModelsCommandTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task Pull_ShouldReturnUsageError_WhenTheModelNameIsUnknown()
    {
        Assert.Equal(CliApp.BadUsage, await CliApp.RunAsync(["models", "pull", "whisper-huge"]));
    }

    [Theory]
    [InlineData("whisper-tiny", "tiny")]
    [InlineData("base", "base")]
    [InlineData("whisper-large-v3-turbo", "large-v3-turbo")]
    [InlineData("Whisper-Small-Q5_0", "small-q5_0")]
    [InlineData("whisper-base-q8_0", "base-q8_0")]
    [InlineData("whisper-large-v3-turbo-q5_0", "large-v3-turbo-q5_0")]
    [InlineData("whisper-huge", null)]
    [InlineData("whisper-base-q4_0", null)]
    public void Id_ShouldAcceptSizeAndQuantisation_WhenGivenAModelName(string name, string? expected)
    {
        Assert.Equal(expected, WhisperCatalog.Id(name));
    }

    [Fact]
    public void Sha1_ShouldPinOnlyCatalogueIdsWithFortyHexDigits_WhenListed()
    {
        Assert.All(WhisperCatalog.Sha1, kv =>
        {
            Assert.Equal(kv.Key, WhisperCatalog.Id(kv.Key));
            Assert.Matches("^[0-9a-f]{40}$", kv.Value);
        });
        Assert.All(WhisperCatalog.Sizes, size => Assert.True(WhisperCatalog.Sha1.ContainsKey(size), size));
    }

    [Fact]
    public async Task Pull_ShouldExitTwoNamingTheFileAndTheCommand_WhenTheNetworkIsUnreachable()
    {
        // A loopback port nobody listens on stands for "no network".
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (code, _, stderr) = await RunAsync(["models", "pull", "whisper-tiny"], ("HOTLINEQA_WHISPER_URL", $"http://127.0.0.1:{port}/"));

        Assert.Equal(CliApp.BadUsage, code);
        var line = stderr.Split('\n').Single(l => l.StartsWith("hotlineqa models pull:", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(_dir, "ggml-tiny.bin"), line);
        Assert.Contains("'hotlineqa models pull whisper-tiny'", line);
        Assert.Empty(Directory.GetFiles(_dir, "*.bin"));
    }

    [Fact]
    public async Task Pull_ShouldExitTwoWithoutDownloading_WhenWhisperCppPublishesNoChecksumForTheFile()
    {
        var (code, _, stderr) = await RunAsync(["models", "pull", "whisper-small-q8_0"], ("HOTLINEQA_WHISPER_URL", "http://127.0.0.1:9/"));

        Assert.Equal(CliApp.BadUsage, code);
        Assert.Contains("ggml-small-q8_0.bin", stderr);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task List_ShouldShowEachModelAndWhatIsWrongWithIt_WhenTheFolderHoldsGoodAndBadFiles()
    {
        HotlineQA.TestSupport.Whisper.GgmlModel.Write(Path.Combine(_dir, "ggml-base.bin"), HotlineQA.TestSupport.Whisper.GgmlDims.Small);
        await File.WriteAllTextAsync(Path.Combine(_dir, "ggml-small-q5_0.bin"), "not a model");
        await File.WriteAllBytesAsync(Path.Combine(_dir, "ggml-tiny.bin.part"), new byte[100]);

        var (code, stdout, stderr) = await RunAsync(["models", "list", "--format", "json"]);

        Assert.True(code == 0, stderr);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => (Complete: r.GetProperty("complete").GetBoolean(), Problem: r.TryGetProperty("problem", out var p) ? p.GetString() : null, Variants: r.GetProperty("variants").EnumerateArray().Select(v => v.GetString()!).ToArray()));
        Assert.True(rows["whisper-base"].Complete);
        Assert.Equal(["f16"], rows["whisper-base"].Variants);
        Assert.False(rows["whisper-small-q5_0"].Complete);
        Assert.Contains("not a ggml model", rows["whisper-small-q5_0"].Problem);
        Assert.Equal(["q5_0"], rows["whisper-small-q5_0"].Variants);
        Assert.False(rows["ggml-tiny.bin.part"].Complete);
        Assert.Contains("unfinished download", rows["ggml-tiny.bin.part"].Problem);
    }

    private Task<(int Code, string Out, string Err)> RunAsync(string[] args, params (string Name, string Value)[] env)
    {
        var vars = new Dictionary<string, string> { ["HOTLINEQA_MODELS"] = _dir };
        foreach (var (n, v) in env) vars[n] = v;
        return HotlineqaCli.RunAsync(null, vars, TimeSpan.FromMinutes(5), args);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
