using System.Diagnostics;
using HotlineQA.TestSupport;
using HotlineQA.TestSupport.Onnx;
using HotlineQA.Transcription;

namespace HotlineQA.Bench;

/// <summary>
/// Where a Whisper window's time goes on the miniature model (real ONNX Runtime, scripted output): log-mel,
/// encoder, decoder steps, and everything else (logit rules, sampling, tensor plumbing, segmentation). The
/// engine's own work must stay under 5 % of the wall time.
/// </summary>
public sealed class WhisperBench : IBenchmark
{
    public string Name => "whisper";
    public string Description => "Whisper stage split (mel / encoder / decoder steps / other) on the miniature ONNX model";

    public Task RunAsync(string[] args)
    {
        var windows = args.Length > 0 && int.TryParse(args[0], out var w) ? w : 3;
        Run(windows, tinySizedCompute: false);
        Run(windows, tinySizedCompute: true);
        return Task.CompletedTask;
    }

    private static void Run(int windows, bool tinySizedCompute)
    {
        Console.WriteLine(tinySizedCompute
            ? "\n-- miniature model with whisper-tiny-sized arithmetic per call (what a real model costs ONNX Runtime)"
            : "\n-- bare miniature model (ONNX Runtime does almost nothing: the engine's own overhead laid bare)");
        var tok = WhisperTokenizer.Load(TestPaths.Shared("data/whisper/whisper-tiny"));
        // A realistic window: ~100 tokens of Chinese in timestamped segments.
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
        var folder = Path.Combine(Path.GetTempPath(), "hotlineqa-bench-whisper-" + Guid.NewGuid().ToString("N"));
        try
        {
            MiniWhisper.Build(folder, script, tinySizedCompute: tinySizedCompute);
            using var model = WhisperModel.Load(folder, threads: 1);
            using var engine = new WhisperEngine(model, new WhisperOptions { InitialPrompt = null, Threads = 1 });
            var audio = Enumerable.Range(0, LogMelSpectrogram.WindowSamples).Select(i => (float)(0.1 * Math.Sin(i * 0.07))).ToArray();
            engine.DecodeWindow(audio, [], "zh", 1); // warm-up: session initialisation is not steady state
            var stats = engine.Stats;
            stats.MelTicks = stats.EncoderTicks = stats.DecoderTicks = stats.TotalTicks = 0;
            stats.DecoderSteps = stats.Windows = 0;

            var sw = Stopwatch.StartNew();
            var tokens = 0;
            for (var i = 0; i < windows; i++) tokens += engine.DecodeWindow(audio, [], "zh", i).Tokens.Count;
            sw.Stop();

            double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
            var wall = sw.Elapsed.TotalMilliseconds;
            var mel = Ms(stats.MelTicks);
            var enc = Ms(stats.EncoderTicks);
            var dec = Ms(stats.DecoderTicks);
            var other = wall - mel - enc - dec;
            Console.WriteLine($"windows {windows} (30 s each), tokens {tokens}, decoder steps {stats.DecoderSteps}");
            Console.WriteLine($"{"stage",-16}{"ms",10}{"share of wall",16}{"ms/window",12}");
            foreach (var (name, ms) in new[] { ("mel", mel), ("encoder (ORT)", enc), ("decoder (ORT)", dec), ("other", other), ("wall", wall) })
                Console.WriteLine($"{name,-16}{ms,10:F1}{ms / wall,16:P1}{ms / windows,12:F2}");
            Console.WriteLine($"decoder step: {dec / stats.DecoderSteps * 1000:F0} µs in ORT, {other / stats.DecoderSteps * 1000:F0} µs outside it");
            var outside = (mel + other) / wall;
            Console.WriteLine($"outside ONNX Runtime calls (mel + other): {outside:P2} of wall time ({(outside < 0.05 ? "within" : "OVER")} the 5 % budget)");
            Console.WriteLine($"ratios against ORT time (encoder + decoder) in this run: mel {mel / (enc + dec):F3}, other {other / (enc + dec):F3}");
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
