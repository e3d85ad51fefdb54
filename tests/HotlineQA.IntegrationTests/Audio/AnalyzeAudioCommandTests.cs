using System.Diagnostics;
using System.Text.Json;
using HotlineQA.TestSupport.Audio;

namespace HotlineQA.IntegrationTests.Audio;

/// <summary><c>hotlineqa analyze-audio</c> as a user runs it (CONTRACTS.md §3, §4): one JSON document, exit codes.</summary>
public sealed class AnalyzeAudioCommandTests(AudioFixture fx) : IClassFixture<AudioFixture>
{
    [Fact]
    public async Task AnalyzeAudio_ShouldPrintOneContractJsonDocument_WhenFormatJson()
    {
        var (code, stdout, stderr) = await RunAsync("analyze-audio", TestPaths.Shared("data/audio/faster_whisper/stereo_diarization.wav"), "--format", "json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(5.0, root.GetProperty("durationSec").GetDouble(), 2);
        Assert.Equal(2, root.GetProperty("channels").GetInt32());
        Assert.Equal(16000, root.GetProperty("sampleRate").GetInt32());
        var speech = root.GetProperty("speech").EnumerateArray().ToList();
        Assert.NotEmpty(speech);
        Assert.All(speech, s =>
        {
            Assert.Contains(s.GetProperty("speaker").GetString(), new[] { "agent", "customer" });
            Assert.True(s.GetProperty("start").GetDouble() < s.GetProperty("end").GetDouble());
        });
        Assert.Equal(JsonValueKind.Array, root.GetProperty("silences").ValueKind);
        var overlap = root.GetProperty("overlaps").EnumerateArray().First();
        Assert.Contains(overlap.GetProperty("interrupter").GetString(), new[] { "agent", "customer" });
        Assert.True(root.GetProperty("talkRatio").GetProperty("agent").GetDouble() > 0);
    }

    [Fact]
    public async Task AnalyzeAudio_ShouldPrintReadableSummary_WhenFormatText()
    {
        var (code, stdout, _) = await RunAsync("analyze-audio", TestPaths.Shared("data/silero-vad/aepyx_8k.wav"));

        Assert.Equal(0, code);
        Assert.Contains("aepyx_8k.wav", stdout);
        Assert.Contains("talk ratio: unknown", stdout);
    }

    [Fact]
    public async Task AnalyzeAudio_ShouldExitOneWithMessageOnStderr_WhenRecordingIsNotAudio()
    {
        var path = fx.PathFor("call-notes.wav");
        await File.WriteAllTextAsync(path, "not audio at all");

        var (code, stdout, stderr) = await RunAsync("analyze-audio", path, "--format", "json");

        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("call-notes.wav", stderr);
        Assert.Contains("not a readable audio file", stderr);
    }

    [Fact]
    public async Task AnalyzeAudio_ShouldExitOne_WhenRecordingIsEmpty()
    {
        var path = fx.PathFor("zero.mp3");
        await File.WriteAllBytesAsync(path, []);

        var (code, _, stderr) = await RunAsync("analyze-audio", path);

        Assert.Equal(1, code);
        Assert.Contains("zero.mp3: the file is empty", stderr);
    }

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        AudioTools.RequireFfmpeg();
        var models = new Dictionary<string, string> { ["HOTLINEQA_MODELS"] = Path.GetDirectoryName(Path.GetDirectoryName(fx.Options.VadModelPath))! };
        return HotlineqaCli.RunAsync(null, models, TimeSpan.FromMinutes(5), args);
    }
}
