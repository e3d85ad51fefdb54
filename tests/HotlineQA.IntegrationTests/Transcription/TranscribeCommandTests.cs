using System.Diagnostics;
using HotlineQA.Audio;
using HotlineQA.TestSupport.Audio;
using HotlineQA.Transcription;
using static HotlineQA.IntegrationTests.Transcription.GgmlModels;

namespace HotlineQA.IntegrationTests.Transcription;

/// <summary><c>hotlineqa transcribe</c> as a process: FFmpeg → Silero VAD → Whisper.net with a generated ggml model.</summary>
public sealed class TranscribeCommandTests
{
    private static readonly string Stereo = TestPaths.Shared("data/audio/faster_whisper/stereo_diarization.wav");

    [Fact]
    public async Task Transcribe_ShouldPrintAContractTranscriptFromTheModelPerChannelInsideSpeech_WhenGivenAStereoCallAndAGgmlFile()
    {
        using var analyzer = new AudioAnalyzer(new AudioOptions { VadModelPath = TestPaths.Shared("data/silero-vad/silero_vad.onnx") });
        var timeline = await analyzer.AnalyzeAsync(Stereo);

        var (code, stdout, stderr) = await RunAsync("transcribe", Stereo, "--model", SmallDims, "--threads", "1", "--format", "json");

        Assert.True(code == 0, stderr);
        var tr = Transcript.Parse(stdout, "stdout");
        tr.Validate("stdout");
        Assert.Equal("stereo_diarization", tr.CallId);
        Assert.Equal("zh", tr.Language);
        Assert.Equal(2, tr.Channels);
        Assert.NotEmpty(tr.Utterances);
        // Each utterance starts inside one of its own channel's speech regions and ends by the end of the call.
        Assert.All(tr.Utterances, u => Assert.Contains(timeline.Speech, s => s.Speaker == u.Speaker && u.Start >= s.Start - 0.011 && u.Start <= s.End + 0.011));
        Assert.All(tr.Utterances, u => Assert.InRange(u.End, u.Start, timeline.DurationSec));
        Assert.All(tr.Utterances, u => Assert.NotNull(u.Confidence));
    }

    [Fact]
    public async Task Transcribe_ShouldKeepCallTimes_WhenTheRecordingIs8kHz()
    {
        // FFmpeg resamples to 16 kHz before anything reaches whisper.cpp: times stay in call seconds.
        var dir = Path.Combine(Path.GetTempPath(), "hotlineqa-8k-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var narrow = Path.Combine(dir, "narrow.wav");
            await AudioTools.ConvertAsync(Stereo, narrow, "-ar", "8000", "-c:a", "pcm_s16le");
            var (code, stdout, stderr) = await RunAsync("transcribe", narrow, "--model", SmallDims, "--threads", "1", "--format", "json");

            Assert.True(code == 0, stderr);
            var tr = Transcript.Parse(stdout, "stdout");
            Assert.InRange(tr.DurationSec!.Value, 4.9, 5.1);
            Assert.NotEmpty(tr.Utterances);
            Assert.All(tr.Utterances, u => Assert.InRange(u.End, 0, 5.1));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Transcribe_ShouldExitTwoNamingTheFileAndThePullCommand_WhenTheModelIsMissing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "hotlineqa-no-model-" + Guid.NewGuid().ToString("N"), "ggml-base.bin");

        var (code, stdout, stderr) = await RunAsync("transcribe", Stereo, "--model", missing);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(missing, line);
        Assert.Contains("hotlineqa models pull whisper-base", line);
    }

    [Fact]
    public async Task Transcribe_ShouldExitTwoNamingTheFile_WhenTheModelIsGarbage()
    {
        var garbage = Garbage("ggml-base.bin", new byte[5000]);

        var (code, _, stderr) = await RunAsync("transcribe", Stereo, "--model", garbage);

        Assert.Equal(2, code);
        Assert.Contains(garbage, stderr);
        Assert.Contains("not a ggml model", stderr);
    }

    [Fact]
    public async Task Transcribe_ShouldExitWithBadInput_WhenTheRecordingIsNotAudio()
    {
        var notAudio = Garbage("notes.wav", "this is not audio"u8.ToArray());

        var (code, _, stderr) = await RunAsync("transcribe", notAudio, "--model", SmallDims);

        Assert.Equal(1, code);
        Assert.Contains("notes.wav", stderr);
    }

    private static Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        AudioTools.RequireFfmpeg();
        // The VAD model is found under $HOTLINEQA_MODELS/silero-vad/.
        return HotlineqaCli.RunAsync(null, new Dictionary<string, string> { ["HOTLINEQA_MODELS"] = TestPaths.Shared("data") }, TimeSpan.FromMinutes(10), args);
    }
}
