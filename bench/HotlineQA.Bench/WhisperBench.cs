using System.Diagnostics;
using HotlineQA.Audio;
using HotlineQA.TestSupport;
using HotlineQA.TestSupport.Whisper;
using HotlineQA.Transcription;
using Whisper.net;

namespace HotlineQA.Bench;

/// <summary>
/// Whisper.net (whisper.cpp) speed on generated ggml models with the real dimensions of tiny, base and small (random
/// F16 weights: the arithmetic per step is the real model's). Per size: encoder ms per 30 s window and decoder ms per
/// token, from two models of the same arithmetic (one random, which stops after a few tokens; one whose decoder output
/// is constant, which runs to whisper.cpp's token limit): t = encoder + tokens × decoder, solved from both. Then a real
/// stereo call through <see cref="WhisperTranscriber"/> (VAD timeline, chunking, clean-up) gives the share of wall time
/// outside whisper.cpp, and the projected real-time factor for a call with its speech share at ~4 tokens per second
/// of speech. <c>bench -- whisper [sizes…] [--threads N] [--windows N]</c>.
/// </summary>
public sealed class WhisperBench : IBenchmark
{
    public string Name => "whisper";
    public string Description => "Whisper.net speed at the real dimensions of tiny/base/small: encoder ms/window, decoder ms/token, projected RTF, share outside whisper.cpp";

    /// <summary>A 140 s two-speaker call of real speech: funasr's 70 s Mandarin clip on the agent channel, then on the customer's.</summary>
    private static async Task<string> TypicalCallAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "hotlineqa-bench-typical-call.wav");
        if (File.Exists(path)) return path;
        var clip = await HotlineQA.TestSupport.Audio.AudioTools.DecodeMono16kAsync(TestPaths.Shared("data/audio/funasr_csharp_examples/vad/0.wav"));
        var pcm = new float[clip.Length * 2 * 2];
        for (var i = 0; i < clip.Length; i++)
        {
            pcm[2 * i] = clip[i];
            pcm[2 * (clip.Length + i) + 1] = clip[i];
        }
        await HotlineQA.TestSupport.Audio.AudioTools.EncodeAsync(pcm, 2, path, "-c:a", "pcm_s16le");
        return path;
    }

    public async Task RunAsync(string[] args)
    {
        var threads = Arg(args, "--threads", Environment.ProcessorCount);
        var windows = Arg(args, "--windows", 2);
        var sizes = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToList();
        if (sizes.Count == 0) sizes = ["tiny", "base", "small"];
        var audio = new AudioOptions { VadModelPath = TestPaths.Shared("data/silero-vad/silero_vad.onnx") };
        using var analyzer = new AudioAnalyzer(audio);
        var call = await TypicalCallAsync();
        var timeline = await analyzer.AnalyzeAsync(call);
        var speech = timeline.Speech.Sum(s => s.End - s.Start);
        var chunks = new[] { "agent", "customer" }.Sum(sp => SpeechChunker.Plan(timeline.Speech.Where(s => s.Speaker == sp).Select(s => (s.Start, s.End)), 0.3).Count);
        Console.WriteLine($"typical call (funasr vad/0.wav, agent then customer): {timeline.DurationSec:F1} s, speech {speech:F1} s over both channels ({speech / timeline.DurationSec:P0} of the call), {chunks} chunks of ≤30 s; threads {threads}; {LoadAverage()}");
        Console.WriteLine($"{"size",-7}{"enc ms/window",14}{"dec ms/token",14}{"tokens A/B",12}{"projected ×RT",15}{"call wall ms",14}{"outside w.cpp",15}");
        foreach (var size in sizes)
        {
            var dims = size switch { "tiny" => GgmlDims.Tiny, "base" => GgmlDims.Base, "small" => GgmlDims.SmallModel, _ => throw new ArgumentException($"unknown size {size}") };
            var m = await Measure(dims, size, windows, threads);
            // Printed before the call run, so a run cut short still leaves the engine figures (and the load they were taken under).
            Console.WriteLine($"whisper.cpp runtime loaded: {Whisper.net.LibraryLoader.RuntimeOptions.LoadedLibrary}; {size}: encoder {m.EncoderMs:F0} ms/window, decoder {m.DecoderMsPerToken:F2} ms/token, tokens A/B {m.TokensA:F0}/{m.TokensB:F0}; {LoadAverage()}");
            try
            {
                // Projection: every chunk costs one encoder window (whisper.cpp pads to 30 s); ~4 tokens per second of speech.
                var compute = chunks * m.EncoderMs + 4 * speech * m.DecoderMsPerToken;
                var rtf = timeline.DurationSec * 1000 / compute;
                using var t = new WhisperTranscriber(new WhisperOptions { ModelPath = m.ModelA, Threads = threads, Processors = 1, TemperatureIncrement = 0 }, audio, analyzer);
                var sw = Stopwatch.StartNew();
                await t.TranscribeAsync(call, timeline, CancellationToken.None);
                var wall = sw.Elapsed.TotalMilliseconds;
                var engine = t.Stats.EngineTicks * 1000.0 / Stopwatch.Frequency;
                var outside = (wall - engine) / wall;
                Console.WriteLine($"{size,-7}{m.EncoderMs,14:F0}{m.DecoderMsPerToken,14:F2}{$"{m.TokensA:F0}/{m.TokensB:F0}",12}{rtf,15:F1}{wall,14:F0}{outside,15:P2}  {LoadAverage()}");
            }
            finally { Directory.Delete(m.Folder, recursive: true); }
        }
        Console.WriteLine("projected ×RT = call duration / (chunks × encoder + 4 tokens/s × speech s × decoder); target for base ≥ 10×. outside w.cpp = transcriber wall time not spent in Whisper.net's ProcessAsync (target < 5 %).");
    }

    /// <summary>The machine's 1/5/15-minute load average (Linux), printed beside every figure: on a shared machine it says what the figures are worth.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $"load average {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} on {Environment.ProcessorCount} cores" : "load average n/a";

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    internal sealed record Figures(string Folder, string ModelA, double EncoderMs, double DecoderMsPerToken, double TokensA, double TokensB);

    /// <summary>Writes the two models of <paramref name="dims"/>, decodes <paramref name="windows"/> 30 s windows with each, solves for encoder and per-token time.</summary>
    internal static async Task<Figures> Measure(GgmlDims dims, string name, int windows, int threads)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"hotlineqa-bench-ggml-{name}-{Guid.NewGuid():N}");
        var a = GgmlModel.Write(Path.Combine(folder, "a.bin"), dims, seed: 3);
        var b = GgmlModel.Write(Path.Combine(folder, "b.bin"), dims, seed: 3, repeatToken: 1000);
        var window = Enumerable.Range(0, 30 * 16000).Select(i => (float)(0.1 * Math.Sin(i * 0.07) + 0.05 * Math.Sin(i * 0.31 + Math.Sin(i * 0.0003)))).ToArray();
        var (ta, na) = await TimeWindows(a, window, windows, threads);
        var (tb, nb) = await TimeWindows(b, window, windows, threads);
        var dec = nb > na ? (tb - ta) / (nb - na) : double.NaN;
        return new Figures(folder, a, ta - na * dec, dec, na, nb);
    }

    /// <summary>Mean ms and tokens per window (after one warm-up window): one segment per window (no re-seeking into it), no temperature fallback.</summary>
    private static async Task<(double Ms, double Tokens)> TimeWindows(string model, float[] window, int windows, int threads)
    {
        using var factory = WhisperFactory.FromPath(model);
        await using var p = factory.CreateBuilder().WithLanguage("zh").WithThreads(threads).WithNoContext().WithSingleSegment().WithTemperatureInc(0).Build();
        async Task<int> Once()
        {
            var n = 0;
            await foreach (var seg in p.ProcessAsync(window)) n += seg.Tokens.Length;
            return n;
        }
        await Once();
        var sw = Stopwatch.StartNew();
        var tokens = 0;
        for (var i = 0; i < windows; i++) tokens += await Once();
        return (sw.Elapsed.TotalMilliseconds / windows, (double)tokens / windows);
    }
}

/// <summary>
/// For whoever has real weights: transcribes every clip of <c>../shared/data/audio/REFERENCES.tsv</c> that has a
/// reference text and prints the character error rate (punctuation, spaces and case ignored, Traditional →
/// Simplified). <c>bench -- whisper-accuracy [ggml file or folder]</c>; the default is <c>$HOTLINEQA_MODELS/ggml-base.bin</c>.
/// </summary>
public sealed class WhisperAccuracyBench : IBenchmark
{
    public string Name => "whisper-accuracy";
    public string Description => "Whisper CER per reference clip of shared/data/audio (needs real weights: hotlineqa models pull whisper-base; --mini = generated model, a smoke run)";

    public async Task RunAsync(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : WhisperModelFile.DefaultPath();
        if (folder == "--mini")
        {
            // Smoke run of this harness on a generated random-weight model (its CER is meaningless).
            folder = Path.Combine(Path.GetTempPath(), "hotlineqa-bench-mini-" + Guid.NewGuid().ToString("N"));
            GgmlModel.Write(Path.Combine(folder, "ggml-mini.bin"), GgmlDims.Small);
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
            using var t = new WhisperTranscriber(new WhisperOptions { ModelPath = folder, Language = lang, Processors = 1, InitialPrompt = lang == "zh" ? new WhisperOptions().InitialPrompt : null }, audio, analyzer);
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
