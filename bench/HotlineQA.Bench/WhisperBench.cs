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

/// <summary>
/// For whoever has real weights: transcribes every clip of <c>../shared/data/audio/REFERENCES.tsv</c> that has a
/// reference text and prints the character error rate (punctuation, spaces and case ignored, Traditional →
/// Simplified). <c>bench -- whisper-accuracy [model folder]</c>; the default folder is
/// <c>$HOTLINEQA_MODELS/whisper-base</c>.
/// </summary>
public sealed class WhisperAccuracyBench : IBenchmark
{
    public string Name => "whisper-accuracy";
    public string Description => "Whisper CER on the reference clips of shared/data/audio (needs real weights: hotlineqa models pull whisper-base)";

    public async Task RunAsync(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : WhisperModelFiles.DefaultFolder();
        if (folder == "--mini")
        {
            // Smoke run of this harness on the miniature model (its CER is meaningless).
            var tok = WhisperTokenizer.Load(TestPaths.Shared("data/whisper/whisper-tiny"));
            folder = Path.Combine(Path.GetTempPath(), "hotlineqa-bench-mini-" + Guid.NewGuid().ToString("N"));
            MiniWhisper.Build(folder, new MiniWhisperScript().Emit([tok.TimestampToken(0), .. tok.Encode("您好"), tok.TimestampToken(1)]));
        }
        var audioRoot = TestPaths.Shared("data/audio");
        var audio = new HotlineQA.Audio.AudioOptions { VadModelPath = TestPaths.Shared("data/silero-vad/silero_vad.onnx") };
        using var analyzer = new HotlineQA.Audio.AudioAnalyzer(audio);
        double errors = 0, chars = 0;
        foreach (var line in File.ReadLines(Path.Combine(audioRoot, "REFERENCES.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length < 8 || f[7].Trim().Length == 0 || f[6].StartsWith("speaker turns", StringComparison.Ordinal)) continue;
            var lang = f[1].StartsWith("zh", StringComparison.Ordinal) && !f[1].Contains('+') ? "zh" : f[1].StartsWith("en", StringComparison.Ordinal) && !f[1].Contains('+') ? "en" : "auto";
            using var t = new WhisperTranscriber(new WhisperOptions { ModelPath = folder, Language = lang, InitialPrompt = lang == "zh" ? new WhisperOptions().InitialPrompt : null }, audio, analyzer);
            if (t.Unavailable is { } why) { Console.WriteLine(why); return; }
            var sw = Stopwatch.StartNew();
            var tr = await t.TranscribeAsync(Path.Combine(audioRoot, f[0]), null, CancellationToken.None);
            var partial = f[7].Contains("(partial)", StringComparison.Ordinal);
            // Stereo references are "L: … || R: …": compare the whole text in channel order.
            var reference = Normalize(string.Join("", f[7].Replace("(partial)", "").Split("||").Select(p => p.Contains(':') ? p[(p.IndexOf(':') + 1)..] : p)));
            var hypothesis = Normalize(string.Join("", tr.Utterances.OrderBy(u => u.Speaker == "customer").ThenBy(u => u.Start).Select(u => u.Text)));
            var d = Levenshtein(reference, hypothesis);
            var cer = reference.Length == 0 ? 0 : (double)d / reference.Length;
            if (!partial) { errors += d; chars += reference.Length; }
            Console.WriteLine($"{f[0],-55} CER {cer,6:P1}{(partial ? " (partial reference, not counted)" : "")}  {sw.Elapsed.TotalSeconds,5:F1} s");
        }
        Console.WriteLine($"overall CER {(chars > 0 ? errors / chars : 0):P2} over {chars} reference characters");
        if (args is ["--mini", ..]) Directory.Delete(folder, recursive: true);
    }

    private static string Normalize(string s) =>
        HallucinationGuard.Normalize(HotlineQA.Common.ChineseConverter.TraditionalToSimplified.Convert(s));

    private static int Levenshtein(string a, string b)
    {
        var prev = Enumerable.Range(0, b.Length + 1).ToArray();
        var cur = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
