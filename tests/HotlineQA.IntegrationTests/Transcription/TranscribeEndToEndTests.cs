using System.Diagnostics;
using HotlineQA.Audio;
using HotlineQA.TestSupport.Audio;
using HotlineQA.TestSupport.Onnx;
using HotlineQA.Transcription;
using static HotlineQA.IntegrationTests.Transcription.MiniModel;

namespace HotlineQA.IntegrationTests.Transcription;

/// <summary>A real recording through FFmpeg, Silero VAD and the miniature Whisper: the file-path route and the CLI verb.</summary>
public sealed class TranscribeEndToEndTests
{
    private static readonly string Stereo = TestPaths.Shared("data/audio/faster_whisper/stereo_diarization.wav");

    private static AudioOptions Audio() => new() { VadModelPath = TestPaths.Shared("data/silero-vad/silero_vad.onnx") };

    // Every window: <|0.00|>您好<|0.50|> — one utterance at the start of each chunk.
    private static MiniWhisperScript Script() => new MiniWhisperScript().Emit([Ts(0), .. Text("您好"), Ts(0.5)]);

    [Fact]
    public async Task TranscribeAsync_ShouldLabelEachChannelsUtterancesWithItsSpeaker_WhenGivenARealStereoRecording()
    {
        AudioTools.RequireFfmpeg();
        using var m = new MiniModel(Script());
        var audio = Audio();
        using var analyzer = new AudioAnalyzer(audio);
        var timeline = await analyzer.AnalyzeAsync(Stereo);
        using var t = new WhisperTranscriber(Options(m.Folder), audio, analyzer);

        var tr = await t.TranscribeAsync(Stereo, timeline, CancellationToken.None);

        Assert.Equal("stereo_diarization", tr.CallId);
        Assert.Equal(2, tr.Channels);
        Assert.Equal(timeline.DurationSec, tr.DurationSec);
        var expectedChunks = new[] { "agent", "customer" }
            .Sum(s => SpeechChunker.Plan(timeline.Speech.Where(x => x.Speaker == s).Select(x => (x.Start, x.End)), 0.3).Count);
        Assert.Equal(expectedChunks, t.Stats!.Windows);
        Assert.Equal(expectedChunks, tr.Utterances.Count);
        Assert.Contains(tr.Utterances, u => u.Speaker == "agent");
        Assert.Contains(tr.Utterances, u => u.Speaker == "customer");
        // Each utterance starts where one of its own speaker's speech regions starts: times are call times, per channel.
        Assert.All(tr.Utterances, u => Assert.Contains(timeline.Speech, s => s.Speaker == u.Speaker && Math.Abs(s.Start - u.Start) < 0.011));
        // Only speech was decoded.
        Assert.All(t.Stats.Decoded, d => Assert.Contains(timeline.Speech, s => s.Speaker == d.Speaker && s.Start == d.Start && s.End == d.End));
        tr.Validate("test");
    }

    [Fact]
    public async Task Transcribe_ShouldPrintOneContractTranscript_WhenRunFromTheCommandLine()
    {
        using var m = new MiniModel(Script());

        var (code, stdout, stderr) = await RunAsync("transcribe", Stereo, "--model", m.Folder, "--format", "json");

        Assert.True(code == 0, stderr);
        var tr = Transcript.Parse(stdout, "stdout");
        Assert.Equal("stereo_diarization", tr.CallId);
        Assert.Equal("zh", tr.Language);
        Assert.NotEmpty(tr.Utterances);
        Assert.All(tr.Utterances, u => Assert.Equal("您好", u.Text));
        Assert.All(tr.Utterances, u => Assert.NotNull(u.Confidence));
    }

    [Fact]
    public async Task Transcribe_ShouldNameTheFolderAndFiles_WhenTheModelIsMissing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "hotlineqa-no-model-" + Guid.NewGuid().ToString("N"));

        var (code, stdout, stderr) = await RunAsync("transcribe", Stereo, "--model", missing);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(missing, stderr);
        Assert.Contains("encoder_model.onnx", stderr);
        Assert.Contains("models pull", stderr);
    }

    [Fact]
    public async Task Transcribe_ShouldExitWithBadInput_WhenTheRecordingIsNotAudio()
    {
        using var m = new MiniModel(Script());
        var notAudio = Path.Combine(m.Folder, "notes.wav");
        await File.WriteAllTextAsync(notAudio, "this is not audio");

        var (code, _, stderr) = await RunAsync("transcribe", notAudio, "--model", m.Folder);

        Assert.Equal(1, code);
        Assert.Contains("notes.wav", stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        AudioTools.RequireFfmpeg();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hotlineqa.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The VAD model is found under $HOTLINEQA_MODELS/silero-vad/.
        psi.Environment["HOTLINEQA_MODELS"] = TestPaths.Shared("data");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
