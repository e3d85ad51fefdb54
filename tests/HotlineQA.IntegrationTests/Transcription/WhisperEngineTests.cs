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

    [Fact]
    public void DecodeWindow_ShouldRetryHotterWithASeededSampler_WhenGreedyOutputIsARepetitionLoop()
    {
        var hao = Text("好").Single();
        var script = new MiniWhisperScript().Emit(Ts(0));
        for (var i = 0; i < 24; i++) script.Tie(hao, Tok.EndOfText); // greedy takes 好 every time: 好好好好…
        using var m = new MiniModel(script);
        var (model, engine) = Open(m);
        using var _ = model;
        using var __ = engine;

        var r = engine.DecodeWindow(FiveSeconds, [], "zh", 7);
        var again = engine.DecodeWindow(FiveSeconds, [], "zh", 7);

        Assert.Equal([0.0, 0.2], r.Attempts);
        Assert.Equal(0.2, r.Temperature);
        Assert.InRange(r.Tokens.Count(t => t == hao), 0, 23); // the greedy pass had 24
        Assert.True(r.CompressionRatio <= 2.4, $"accepted output must pass the gzip test, ratio {r.CompressionRatio}");
        Assert.Equal(r.Tokens, again.Tokens); // fixed seed: reproducible
        Assert.Equal(Ts(0), r.Tokens[0]);
    }

    [Fact]
    public void DecodeWindow_ShouldKeepNoText_WhenNoSpeechIsLikelyAndTheTextIsUnsure()
    {
        var field = Text("这是一些随便的字看起来像幻觉的样子吧").Distinct().ToArray();
        MiniWhisperScript Script(bool noSpeech)
        {
            var s = new MiniWhisperScript().Emit(Ts(0));
            for (var i = 0; i < 6; i++) s.Unsure(field[i], field.Concat(Enumerable.Range(1000, 300)));
            if (noSpeech) s.PromptRow[Tok.NoSpeech] = MiniWhisperScript.Hit;
            return s;
        }
        using var silent = new MiniModel(Script(noSpeech: true));
        using var unsure = new MiniModel(Script(noSpeech: false));
        var (m1, e1) = Open(silent);
        var (m2, e2) = Open(unsure);
        using var _ = m1; using var __ = e1; using var ___ = m2; using var ____ = e2;

        var quiet = e1.DecodeWindow(FiveSeconds, [], "zh", 1);
        var noisy = e2.DecodeWindow(FiveSeconds, [], "zh", 1);

        Assert.True(quiet.NoSpeechProb > 0.99, $"no-speech probability {quiet.NoSpeechProb}");
        Assert.True(quiet.NoSpeech);
        Assert.Empty(quiet.Segments);
        Assert.Equal([0.0], quiet.Attempts); // silence needs no fallback
        Assert.True(noisy.NoSpeechProb < 0.01);
        Assert.False(noisy.NoSpeech);
        Assert.Equal(6, noisy.Attempts.Count); // unsure text alone triggers every fallback temperature
        Assert.NotEmpty(noisy.Segments);
    }

    [Fact]
    public void DecodeWindow_ShouldPutTheInitialPromptAfterStartOfPrev_WhenOneIsConfigured()
    {
        var text = Text("请问您的订单号");
        var script = new MiniWhisperScript().Emit([Ts(0), .. text, Ts(1.5)]);
        using var m = new MiniModel(script);
        var (model, engine) = Open(m, o => o.InitialPrompt = "客服热线");
        using var _ = model;
        using var __ = engine;
        engine.Stats.RecordCalls = true;

        var r = engine.DecodeWindow(FiveSeconds, [], "zh", 1);
        var withHistory = engine.DecodeWindow(FiveSeconds, text, "zh", 1);

        int[] expected = [Tok.StartOfPrev, .. Text(" 客服热线"), Tok.StartOfTranscript, Tok.Languages["zh"], Tok.Transcribe];
        Assert.Equal(expected, r.Prompt);
        Assert.Equal([Tok.StartOfPrev, .. text, Tok.StartOfTranscript, Tok.Languages["zh"], Tok.Transcribe], withHistory.Prompt);
        // The model reads its script position from the cache it is fed, so the same tokens prove the longer prompt went in.
        Assert.Equal([Ts(0), .. text, Ts(1.5)], r.Tokens);
        Assert.Equal(r.Tokens, withHistory.Tokens);
        Assert.Contains(new DecoderCall(expected.Length, 0, false), engine.Stats.Calls);
        Assert.Equal("请问您的订单号", Assert.Single(r.Segments).Text);
    }

    [Fact]
    public void DecodeWindow_ShouldDetectTheLanguageFromLanguageTokenLogits_WhenLanguageIsAuto()
    {
        var text = Text("hello");
        var script = new MiniWhisperScript().Emit([Ts(0), .. text, Ts(1.0)]);
        script.Steps[0][Tok.Languages["en"]] = 5f;
        script.Steps[0][Tok.Languages["zh"]] = 4f;
        using var m = new MiniModel(script);
        var (model, engine) = Open(m);
        using var _ = model;
        using var __ = engine;

        var r = engine.DecodeWindow(FiveSeconds, [], null, 1);

        Assert.Equal("en", r.Language);
        Assert.Equal(Tok.Languages["en"], r.Prompt[1]);
        Assert.Equal("hello", Assert.Single(r.Segments).Text);
    }

    [Fact]
    public void DecodeWindow_ShouldStopAtMaxTokens_WhenTheModelNeverEnds()
    {
        var a = Text("啊").Single();
        var script = new MiniWhisperScript().Emit(Ts(0));
        for (var i = 0; i < 40; i++) script.Emit(a);
        using var m = new MiniModel(script);
        var (model, engine) = Open(m, o => { o.MaxTokens = 10; o.Temperatures = [0.0]; });
        using var _ = model;
        using var __ = engine;

        var r = engine.DecodeWindow(FiveSeconds, [], "zh", 1);

        Assert.Equal(10, r.Tokens.Count);
    }

    [Fact]
    public void DecodeWindow_ShouldNeverFeedPastTheDecodersLastPosition_WhenTheContextIsLong()
    {
        var a = Text("啊").Single();
        var script = new MiniWhisperScript().Emit(Ts(0));
        for (var i = 0; i < 300; i++) script.Emit(a);
        using var m = new MiniModel(script);
        var (model, engine) = Open(m, o => o.Temperatures = [0.0]);
        using var _ = model;
        using var __ = engine;
        engine.Stats.RecordCalls = true;
        var history = Enumerable.Repeat(Text("好").Single(), 400).ToArray();

        var r = engine.DecodeWindow(FiveSeconds, history, "zh", 1);

        Assert.Equal(1 + 223 + 3, r.Prompt.Count); // the previous text is cut to the last 223 tokens
        var lastPosition = engine.Stats.Calls.Max(c => c.PastLength + c.InputLength) - 1;
        Assert.Equal(447, lastPosition); // 448 positions, none beyond
        Assert.Equal(448 - r.Prompt.Count + 1, r.Tokens.Count); // the last sampled token is never fed back
    }

    [Fact]
    public void MiniWhisper_ShouldHaveTheRealExportSignature_WhenLoadedByOnnxRuntime()
    {
        using var m = new MiniModel(new MiniWhisperScript().Emit(Ts(0)));
        using var model = WhisperModel.Load(m.Folder);
        var dec = model.Decoder;
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64, dec.InputMetadata["input_ids"].ElementDataType);
        Assert.Equal([-1, -1], dec.InputMetadata["input_ids"].Dimensions);
        Assert.Equal(["batch_size", "decoder_sequence_length"], dec.InputMetadata["input_ids"].SymbolicDimensions);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Bool, dec.InputMetadata["use_cache_branch"].ElementDataType);
        Assert.Equal([1], dec.InputMetadata["use_cache_branch"].Dimensions);
        Assert.Equal(["batch_size", "", "past_decoder_sequence_length", ""], dec.InputMetadata["past_key_values.1.decoder.value"].SymbolicDimensions);
        Assert.Equal(["batch_size", "", "encoder_sequence_length_out", ""], dec.InputMetadata["past_key_values.0.encoder.key"].SymbolicDimensions);
        Assert.Equal(["batch_size", "", "past_decoder_sequence_length + 1", ""], dec.OutputMetadata["present.0.decoder.key"].SymbolicDimensions);
        Assert.Equal(["batch_size", "decoder_sequence_length", ""], dec.OutputMetadata["logits"].SymbolicDimensions);
        Assert.Equal(51865, dec.OutputMetadata["logits"].Dimensions[2]);
        Assert.Equal(["batch_size", "feature_size", "encoder_sequence_length"], model.Encoder.InputMetadata["input_features"].SymbolicDimensions);
        Assert.Equal(["batch_size", "encoder_sequence_length / 2", ""], model.Encoder.OutputMetadata["last_hidden_state"].SymbolicDimensions);
        Assert.Equal(2 + 2 * 4 + 1, dec.InputMetadata.Count);
        Assert.Equal(1 + 2 * 4, dec.OutputMetadata.Count);
    }

    [Fact]
    public void MiniWhisper_ShouldDerail_WhenItsCacheIsFedWrongly()
    {
        // The control for the KV-cache test: the miniature's answer depends on the cache it is given.
        var script = new MiniWhisperScript().Emit(Ts(0), Text("好").Single(), Text("的").Single());
        using var m = new MiniModel(script);
        using var model = WhisperModel.Load(m.Folder);
        // keysOn: cached keys hold 1 (else 0); promptMarked: how many leading cached values mark prompt tokens.
        int Next(bool keysOn, int promptMarked, int pastLength, bool useCache)
        {
            var inputs = new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue>
            {
                ["input_ids"] = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(new long[] { Ts(0) }, [1, 1]),
                ["encoder_hidden_states"] = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(new float[1500 * MiniWhisper.DModel], [1, 1500, MiniWhisper.DModel]),
                ["use_cache_branch"] = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(new[] { useCache }, [1]),
            };
            for (var i = 0; i < MiniWhisper.Layers; i++)
            {
                var n = MiniWhisper.Heads * pastLength * MiniWhisper.HeadDim;
                long[] shape = [1, MiniWhisper.Heads, pastLength, MiniWhisper.HeadDim];
                var values = new float[n];
                for (var h = 0; h < MiniWhisper.Heads; h++)
                    for (var p = 0; p < promptMarked; p++)
                        for (var d = 0; d < MiniWhisper.HeadDim; d++) values[(h * pastLength + p) * MiniWhisper.HeadDim + d] = 1;
                inputs[$"past_key_values.{i}.decoder.key"] = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(keysOn ? 1f : 0f, n).ToArray(), shape);
                inputs[$"past_key_values.{i}.decoder.value"] = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(values, shape);
                long[] enc = [1, MiniWhisper.Heads, 0, MiniWhisper.HeadDim];
                inputs[$"past_key_values.{i}.encoder.key"] = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), enc);
                inputs[$"past_key_values.{i}.encoder.value"] = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), enc);
            }
            using var run = new Microsoft.ML.OnnxRuntime.RunOptions();
            using var outputs = model.Decoder.Run(run, inputs.Keys.ToArray(), inputs.Values.ToArray(), ["logits"]);
            foreach (var v in inputs.Values) v.Dispose();
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            return System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
        }

        // Step 2 after a 3-token prompt, as the engine feeds it: 4 cached tokens, the first 3 marked as prompt → 的.
        var de = Text("的").Single();
        Assert.Equal(de, Next(keysOn: true, promptMarked: 3, pastLength: 4, useCache: true));
        Assert.NotEqual(de, Next(keysOn: false, promptMarked: 0, pastLength: 4, useCache: true)); // right shape, zeros instead of presents
        Assert.NotEqual(de, Next(keysOn: true, promptMarked: 3, pastLength: 3, useCache: true)); // a step's present lost
        Assert.NotEqual(de, Next(keysOn: true, promptMarked: 4, pastLength: 4, useCache: true)); // values from the wrong tensor
        Assert.NotEqual(de, Next(keysOn: true, promptMarked: 3, pastLength: 4, useCache: false)); // wrong branch
    }
}
