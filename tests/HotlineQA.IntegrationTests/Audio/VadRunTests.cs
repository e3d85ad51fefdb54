using HotlineQA.Audio;

namespace HotlineQA.IntegrationTests.Audio;

/// <summary>The VAD loop with the real Silero model: the energy gate and the model's context handling.</summary>
public sealed class VadRunTests(AudioFixture fx) : IClassFixture<AudioFixture>
{
    [Fact]
    public async Task Feed_ShouldNotRunTheModel_WhenWindowsAreDigitalSilence()
    {
        var speech = await AudioDecoder.ReadChannelAsync(TestPaths.Shared("data/audio/funasr/asr_example.wav"), 0, 0, null);
        const int zeros = 10 * AudioDecoder.SampleRate; // 312.5 windows of digital silence first
        var pcm = new float[zeros + speech.Length];
        speech.CopyTo(pcm, zeros);
        using var run = new VadRun(fx.Analyzer.Model, new VadOptions(), [AudioAnalyzer.Unknown]);

        foreach (var chunk in pcm.Chunk(3000)) run.Feed(chunk, 1);
        var segments = run.Finish(pcm.Length);

        // Every all-zero window is settled by the gate; the model runs on (about) the clip's windows only.
        Assert.True(run.GatedWindows >= zeros / SileroVadModel.Window, $"{run.GatedWindows} gated");
        Assert.True(run.ModelWindows <= speech.Length / SileroVadModel.Window + 2, $"{run.ModelWindows} model windows");
        Assert.NotEmpty(segments);
        Assert.All(segments, s => Assert.True(s.Start >= 10 - 0.05, $"speech at {s.Start} inside the silence"));
    }

    [Fact]
    public async Task Feed_ShouldGiveTheSameSegments_WhenBlocksArriveInAnySize()
    {
        var pcm = await AudioDecoder.ReadChannelAsync(TestPaths.Shared("data/silero-vad/test.wav"), 0, 0, 20);

        var a = Segments(pcm, 512);
        var b = Segments(pcm, 777);

        Assert.NotEmpty(a);
        Assert.Equal(a.Select(s => (s.Start, s.End)), b.Select(s => (s.Start, s.End)));
    }

    [Fact]
    public void Model_ShouldPrependSixtyFourSamplesOfContext_WhenInputLengthIsDynamic()
    {
        Assert.Equal(64, fx.Analyzer.Model.Context);
    }

    private List<SpeechSegment> Segments(float[] pcm, int block)
    {
        using var run = new VadRun(fx.Analyzer.Model, new VadOptions(), [AudioAnalyzer.Unknown]);
        foreach (var chunk in pcm.Chunk(block)) run.Feed(chunk, 1);
        return run.Finish(pcm.Length);
    }
}
