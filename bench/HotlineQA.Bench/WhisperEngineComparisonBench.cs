using System.Diagnostics;
using HotlineQA.TestSupport;
using HotlineQA.TestSupport.Onnx;
using HotlineQA.TestSupport.Whisper;
using HotlineQA.Transcription;

namespace HotlineQA.Bench;

/// <summary>
/// One run, both engines, whisper-tiny dimensions, one thread each: the retired ONNX Runtime engine on its miniature
/// model with tiny-sized arithmetic per call (the only tiny-sized model it can run without weights), and Whisper.net
/// on a generated ggml model with tiny's real dimensions. Prints encoder ms per 30 s window and decoder ms per token.
/// </summary>
public sealed class WhisperEngineComparisonBench : IBenchmark
{
    public string Name => "whisper-vs-onnx";
    public string Description => "retired ONNX Runtime Whisper engine vs Whisper.net at whisper-tiny dimensions, one thread, one run";

    public async Task RunAsync(string[] args)
    {
        var windows = args.Length > 0 && int.TryParse(args[0], out var w) ? w : 3;
        var (onnxEnc, onnxDec, onnxMel, onnxOther, onnxSteps) = Onnx(windows);
        var net = await WhisperBench.Measure(GgmlDims.Tiny, "tiny", windows, threads: 1);
        Directory.Delete(net.Folder, recursive: true);
        Console.WriteLine($"{"engine",-34}{"enc ms/window",14}{"dec ms/token",14}{"ms per 100-token window",25}");
        var onnxWindow = onnxMel + onnxEnc + 100 * onnxDec + onnxOther;
        var netWindow = net.EncoderMs + 100 * net.DecoderMsPerToken;
        Console.WriteLine($"{"ONNX Runtime (retired), mini+tiny",-34}{onnxMel + onnxEnc,14:F0}{onnxDec + onnxOther / 100,14:F2}{onnxWindow,25:F0}");
        Console.WriteLine($"{"Whisper.net (whisper.cpp), tiny",-34}{net.EncoderMs,14:F0}{net.DecoderMsPerToken,14:F2}{netWindow,25:F0}");
        Console.WriteLine($"ratio ONNX / Whisper.net: encoder {(onnxMel + onnxEnc) / net.EncoderMs:F2}, decoder per token {(onnxDec + onnxOther / 100) / net.DecoderMsPerToken:F2}, 100-token window {onnxWindow / netWindow:F2}  (ONNX decoder steps per window {onnxSteps:F0}; Whisper.net tokens A/B {net.TokensA:F0}/{net.TokensB:F0})");
    }

    /// <summary>The old engine's bench (session 3's "tiny-sized arithmetic" run): per window mel+encoder ms, decoder ms per step, other ms.</summary>
    private static (double Enc, double DecPerStep, double Mel, double Other, double Steps) Onnx(int windows)
    {
        var tok = WhisperTokenizer.Load(TestPaths.Shared("data/whisper/whisper-tiny"));
        var script = new MiniWhisperScript();
        string[] sentences =
        [
            "您好，这里是客服热线，请问有什么可以帮您？",
            "我上周报修的排气管到现在还没修好，师傅一直没来。",
            "非常抱歉给您带来不便，我马上帮您查询维修进度。",
            "麻烦您提供一下订单号和联系电话，我们今天内回电。",
        ];
        for (var s = 0; s < sentences.Length; s++)
            script.Emit([tok.TimestampToken(s * 7.0), .. tok.Encode(sentences[s]), tok.TimestampToken(s * 7.0 + 6.0)]);
        var folder = Path.Combine(Path.GetTempPath(), "hotlineqa-bench-onnx-" + Guid.NewGuid().ToString("N"));
        try
        {
            MiniWhisper.Build(folder, script, tinySizedCompute: true);
            using var model = WhisperModel.Load(folder, threads: 1);
            using var engine = new WhisperEngine(model, new WhisperOptions { InitialPrompt = null, Threads = 1 });
            var audio = Enumerable.Range(0, LogMelSpectrogram.WindowSamples).Select(i => (float)(0.1 * Math.Sin(i * 0.07))).ToArray();
            engine.DecodeWindow(audio, [], "zh", 1);
            var st = engine.Stats;
            st.MelTicks = st.EncoderTicks = st.DecoderTicks = st.TotalTicks = 0;
            st.DecoderSteps = st.Windows = 0;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < windows; i++) engine.DecodeWindow(audio, [], "zh", i);
            var wall = sw.Elapsed.TotalMilliseconds;
            double Ms(long t) => t * 1000.0 / Stopwatch.Frequency;
            var mel = Ms(st.MelTicks) / windows;
            var enc = Ms(st.EncoderTicks) / windows;
            var dec = Ms(st.DecoderTicks) / st.DecoderSteps;
            var other = wall / windows - mel - enc - Ms(st.DecoderTicks) / windows;
            return (enc, dec, mel, other, (double)st.DecoderSteps / windows);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
