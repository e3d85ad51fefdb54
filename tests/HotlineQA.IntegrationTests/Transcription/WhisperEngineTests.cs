using HotlineQA.TestSupport.Onnx;
using HotlineQA.Transcription;
using static HotlineQA.IntegrationTests.Transcription.MiniModel;

namespace HotlineQA.IntegrationTests.Transcription;

/// <summary>The decoding engine through real ONNX Runtime on a miniature Whisper whose output is scripted.</summary>
public sealed class WhisperEngineTests
{
    private static readonly float[] FiveSeconds = Tone(5.0);

    private static float[] Tone(double sec) =>
        Enumerable.Range(0, (int)(sec * 16000)).Select(i => (float)(0.1 * Math.Sin(2 * Math.PI * 440 * i / 16000.0))).ToArray();

    private static (WhisperModel Model, WhisperEngine Engine) Open(MiniModel m, Action<WhisperOptions>? tweak = null)
    {
        var o = Options(m.Folder);
        tweak?.Invoke(o);
        var model = WhisperModel.Load(m.Folder, o.Variant, o.Threads);
        return (model, new WhisperEngine(model, o));
    }

    [Fact]
    public void DecodeWindow_ShouldFeedTheKvCacheStepByStep_WhenDecodingGreedily()
    {
        var text1 = Text("您好请问有什么可以帮您");
        var text2 = Text("我要投诉");
        var script = new MiniWhisperScript().Emit([Ts(0), .. text1, Ts(2.0), Ts(2.5), .. text2, Ts(4.0)]);
        using var m = new MiniModel(script);
        var (model, engine) = Open(m);
        using var _ = model;
        using var __ = engine;
        engine.Stats.RecordCalls = true;

        var r = engine.DecodeWindow(FiveSeconds, [], "zh", 1);

        Assert.Equal([Tok.StartOfTranscript, Tok.Languages["zh"], Tok.Transcribe], r.Prompt);
        Assert.Equal(script.Steps.Select(s => s.Keys.Single()), r.Tokens);
        var calls = engine.Stats.Calls;
        Assert.Equal(new DecoderCall(3, 0, false), calls[0]);
        for (var k = 1; k < calls.Count; k++) Assert.Equal(new DecoderCall(1, 3 + k - 1, true), calls[k]);
        Assert.Equal(r.Tokens.Count + 1, calls.Count); // the last call produced end-of-text
        Assert.Equal([0.0], r.Attempts);
        Assert.False(r.NoSpeech);
        Assert.Equal(2, r.Segments.Count);
        Assert.Equal((0.0, 2.0, "您好请问有什么可以帮您"), (r.Segments[0].Start, r.Segments[0].End, r.Segments[0].Text));
        Assert.Equal((2.5, 4.0, "我要投诉"), (r.Segments[1].Start, r.Segments[1].End, r.Segments[1].Text));
        Assert.All(r.Segments, s => Assert.InRange(s.Confidence, 0.99, 1.0));
    }
}
