using System.Diagnostics;
using HotlineQA.Audio;
using HotlineQA.TestSupport;
using HotlineQA.TestSupport.Whisper;
using HotlineQA.Transcription;
using Whisper.net;

namespace HotlineQA.Bench;

/// <summary>
/// Whisper.net (whisper.cpp) speed on generated ggml models with the real dimensions of tiny, base and small (random
/// weights: the arithmetic per step is the real model's, the text is garbage of arbitrary length).
/// <para>What separates encoder from decoder: per 30 s window whisper.cpp runs the log-mel, the encoder once, a
/// batched pass over the prompt, then one decoder pass per token. A model whose decoder output is constant
/// (<see cref="GgmlModel.Write"/> with <c>repeatToken</c>) never stops by itself, so whisper.cpp's <c>max_tokens</c>
/// (<c>WithMaxTokensPerSegment</c>) decides how many tokens a window decodes; with <c>WithSingleSegment</c> the window
/// then ends with seek = 30 s, i.e. exactly one encoder run (counted with <c>WithEncoderBeginHandler</c>). The same
/// model and audio timed at two token limits differ only in decoder passes: decoder ms/token = Δtime / Δtokens, and
/// the window's fixed cost (mel + encoder + prompt pass) = time − tokens × that.</para>
/// <para>The projection for a typical call uses only those measured costs (never the garbage's length): chunks ×
/// window cost + 4 tokens per second of speech × decoder ms/token. A real stereo call through
/// <see cref="WhisperTranscriber"/> gives the wall time spent outside whisper.cpp.</para>
/// <c>bench -- whisper [tiny base small] [--threads N] [--windows N] [--options SIZE] [--no-call]</c>
/// </summary>
public sealed class WhisperBench : IBenchmark
{
    public string Name => "whisper";
    public string Description => "Whisper.net speed at the real dimensions of tiny/base/small: encoder ms/window, decoder ms/token, projected RTF, share outside whisper.cpp; --options SIZE compares speed settings";

    /// <summary>Token limits of the two timed decodes of each window.</summary>
    private const int FewTokens = 8, ManyTokens = 136;

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

    private sealed record Call(string Path, AudioAnalysis Timeline, double Speech, int Chunks)
    {
        public double ProjectMs(Costs c) => Chunks * c.WindowMs + 4 * Speech * c.TokenMs;
        public double Rtf(Costs c) => Timeline.DurationSec * 1000 / ProjectMs(c);
        /// <summary>Real-time factor per core of CPU time: what one core does alone, a machine of N such cores N times that with N single-thread processors.</summary>
        public double CpuRtf(Costs c) => Timeline.DurationSec * 1000 / (Chunks * c.WindowCpuMs + 4 * Speech * c.TokenCpuMs);
    }

    /// <summary>Measured costs: a window's fixed part (mel + encoder + prompt pass) and one decoder pass; encoder runs per timed window (must be 1).</summary>
    /// <remarks>CPU figures are the process's CPU time (all threads) for the same work: on a machine shared with other
    /// jobs they stay what the work costs while wall times grow with the load. Spinning threads (OpenMP barriers) count as CPU.</remarks>
    internal sealed record Costs(double WindowMs, double TokenMs, double EncoderRunsPerWindow, double TokensFew, double TokensMany, double WindowCpuMs, double TokenCpuMs);

    /// <summary>A speed setting: the factory's and the processor's part.</summary>
    private sealed record Variant(string Name, GgmlWeights Weights = GgmlWeights.F16, bool Flash = false, int Threads = 0, int Beam = 0, int AudioCtx = 0, bool Prompt = true, int Parallel = 1);

    public async Task RunAsync(string[] args)
    {
        var threads = Arg(args, "--threads", 1);
        var windows = Arg(args, "--windows", 2);
        var optionsSize = Value(args, "--options");
        var noCall = args.Contains("--no-call");
        var sizes = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] is not ("--threads" or "--windows" or "--options"))).ToList();
        if (sizes.Count == 0 && optionsSize is null) sizes = ["tiny", "base", "small"];
        var audio = new AudioOptions { VadModelPath = TestPaths.Shared("data/silero-vad/silero_vad.onnx") };
        using var analyzer = new AudioAnalyzer(audio);
        var path = await TypicalCallAsync();
        var timeline = await analyzer.AnalyzeAsync(path);
        var speech = timeline.Speech.Sum(s => s.End - s.Start);
        var chunks = new[] { "agent", "customer" }.Sum(sp => SpeechChunker.Plan(timeline.Speech.Where(s => s.Speaker == sp).Select(s => (s.Start, s.End)), 0.3).Count);
        var call = new Call(path, timeline, speech, chunks);
        Console.WriteLine($"typical call (funasr vad/0.wav, agent then customer): {timeline.DurationSec:F1} s, speech {speech:F1} s over both channels ({speech / timeline.DurationSec:P0} of the call, Silero VAD), {chunks} chunks of ≤30 s; threads {threads}; {LoadAverage()}");
        Console.WriteLine($"token limits per timed window: {FewTokens} and {ManyTokens} (whisper.cpp max_tokens, single segment), {windows} windows each after a warm-up; projection: 4 tokens per second of speech, one window per chunk");

        Costs? baseline = null;
        foreach (var size in sizes)
        {
            var dims = Dims(size);
            var folder = Folder(size);
            try
            {
                var b = GgmlModel.Write(Path.Combine(folder, "b.bin"), dims, seed: 3, repeatToken: 1000);
                // The transcriber's defaults: flash attention as WhisperOptions has it, greedy, F16.
                var c = await MeasureAsync(b, new Variant("default", Flash: new WhisperOptions().FlashAttention), threads, windows);
                if (size == sizes[0]) PrintRuntime(b);
                baseline ??= c;
                Console.WriteLine($"{size}: window (mel + encoder + prompt) {c.WindowMs:F0} ms wall / {c.WindowCpuMs:F0} ms CPU, decoder {c.TokenMs:F2} ms/token wall / {c.TokenCpuMs:F2} CPU " +
                    $"(tokens {c.TokensFew:F0}/{c.TokensMany:F0}, encoder runs per window {c.EncoderRunsPerWindow:F2}); typical call projected {call.Rtf(c):F1}× real time (wall, this load), {call.CpuRtf(c):F1}× per core of CPU; " +
                    $"vs {sizes[0]}: window ×{c.WindowCpuMs / baseline.WindowCpuMs:F2}, token ×{c.TokenCpuMs / baseline.TokenCpuMs:F2} (CPU); {LoadAverage()}");
                if (!noCall) await CallRunAsync(size, dims, folder, call, c, audio, analyzer, threads);
            }
            finally { Directory.Delete(folder, recursive: true); }
        }
        if (optionsSize is not null) await OptionsAsync(optionsSize, call, threads, windows);
        Console.WriteLine("projected ×RT = call duration / (chunks × window ms + 4 tokens/s × speech s × decoder ms/token); target for base ≥ 10×. outside w.cpp = transcriber wall time not spent in Whisper.net's ProcessAsync (target < 5 %).");
    }

    /// <summary>The typical call through <see cref="WhisperTranscriber"/> with a random-weight model of the size: the share of wall time outside whisper.cpp.</summary>
    private static async Task CallRunAsync(string size, GgmlDims dims, string folder, Call call, Costs c, AudioOptions audio, AudioAnalyzer analyzer, int threads)
    {
        var a = GgmlModel.Write(Path.Combine(folder, "a.bin"), dims, seed: 3);
        await using var t = new WhisperTranscriber(new WhisperOptions { ModelPath = a, Threads = threads, Processors = 1, TemperatureIncrement = 0 }, audio, analyzer);
        var sw = Stopwatch.StartNew();
        var transcript = await t.TranscribeAsync(call.Path, call.Timeline, CancellationToken.None);
        var wall = sw.Elapsed.TotalMilliseconds;
        var engine = t.Stats.EngineTicks * 1000.0 / Stopwatch.Frequency;
        var outside = wall - engine;
        var projected = call.ProjectMs(c);
        Console.WriteLine($"{size} call through WhisperTranscriber (random model): wall {wall:F0} ms, inside whisper.cpp {engine:F0} ms over {t.Stats.Chunks} chunks / {t.Stats.EncoderRuns} encoder runs " +
            $"(the random decoder's failed windows re-seek), {t.Stats.Tokens} tokens, {transcript.Utterances.Count} utterances; outside whisper.cpp {outside:F0} ms = {outside / wall:P2} of this run, " +
            $"{outside / (outside + projected):P2} against the projected engine time of a real model ({projected:F0} ms); {LoadAverage()}");

        // The same call with the transcriber's defaults (processors and threads 0): on 2 cores, 2 single-thread processors, the two channels at once.
        await using var d = new WhisperTranscriber(new WhisperOptions { ModelPath = a, TemperatureIncrement = 0 }, audio, analyzer);
        sw.Restart();
        var again = await d.TranscribeAsync(call.Path, call.Timeline, CancellationToken.None);
        var wallDefaults = sw.Elapsed.TotalMilliseconds;
        Console.WriteLine($"{size} call with the defaults ({d.Parallelism.Processors} processors × {d.Parallelism.Threads} thread(s), at most {d.Stats.MaxConcurrentDecodes} decodes at once): wall {wallDefaults:F0} ms = ×{wall / wallDefaults:F2} " +
            $"the 1 × {threads} run above; same transcript: {again.Utterances.SequenceEqual(transcript.Utterances)}; {LoadAverage()}");
    }

    /// <summary>Speed settings of whisper.cpp measured on one size, each against the default measured in the same run.</summary>
    private static async Task OptionsAsync(string size, Call call, int threads, int windows)
    {
        var dims = Dims(size);
        var folder = Folder(size + "-options");
        try
        {
            Console.WriteLine($"-- speed settings on {size} (generated, real dimensions), each a ratio against the first line of this run --");
            Console.WriteLine($"{"setting",-36}{"window ms",10}{"ms/token",9}{"CPU win",9}{"CPU/tok",9}{"enc runs",9}{"proj ×RT",9}{"×RT/core",9}{"×RT ×",7}{"CPU ×RT ×",10}  load");
            Costs? baseline = null;
            var variants = new List<Variant>
            {
                new("1 thread, greedy, F16, flash off"),
                new("2 threads", Threads: 2),
                new("2 processors × 1 thread, parallel", Threads: 1, Parallel: 2),
                new("flash attention", Flash: true),
                new("beam 5", Beam: 5),
                new("audio_ctx 750 (15 s windows)", AudioCtx: 750),
                new("no initial prompt", Prompt: false),
                new("q8_0 weights", Weights: GgmlWeights.Q8_0),
                new("q5_0 weights", Weights: GgmlWeights.Q5_0),
                new("q8_0 + flash attention", Weights: GgmlWeights.Q8_0, Flash: true),
            };
            var models = new Dictionary<GgmlWeights, string>();
            foreach (var v in variants)
            {
                if (!models.TryGetValue(v.Weights, out var model))
                    models[v.Weights] = model = GgmlModel.Write(Path.Combine(folder, $"b-{v.Weights}.bin"), dims, seed: 3, repeatToken: 1000, weights: v.Weights);
                var c = await MeasureAsync(model, v, threads, windows);
                baseline ??= c;
                Console.WriteLine($"{v.Name,-36}{c.WindowMs,10:F0}{c.TokenMs,9:F2}{c.WindowCpuMs,9:F0}{c.TokenCpuMs,9:F2}{c.EncoderRunsPerWindow,9:F2}{call.Rtf(c),9:F1}{call.CpuRtf(c),9:F1}{call.Rtf(c) / call.Rtf(baseline),7:F2}{call.CpuRtf(c) / call.CpuRtf(baseline),10:F2}  {LoadAverage()}");
            }
            Console.WriteLine("'2 processors × 1 thread': two decodes at once, each on one thread; the figures are per decode divided by 2 (throughput). audio_ctx 750 encodes 15 s of the window (chunks longer than that lose their end).");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static GgmlDims Dims(string size) => size switch
    {
        "tiny" => GgmlDims.Tiny, "base" => GgmlDims.Base, "small" => GgmlDims.SmallModel,
        _ => throw new ArgumentException($"unknown size '{size}' (tiny, base or small)"),
    };

    private static string Folder(string name) => Path.Combine(Path.GetTempPath(), $"hotlineqa-bench-ggml-{name}-{Guid.NewGuid():N}");

    private static void PrintRuntime(string model)
    {
        using var f = WhisperFactory.FromPath(model);
        Console.WriteLine($"whisper.cpp runtime loaded: {Whisper.net.LibraryLoader.RuntimeOptions.LoadedLibrary}; {WhisperFactory.GetRuntimeInfo()?.Trim()}");
    }

    /// <summary>The machine's 1/5/15-minute load average (Linux), printed beside every figure: on a shared machine it says what the figures are worth.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $"load {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "load n/a";

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Arg(string[] args, string name, int fallback) =>
        int.TryParse(Value(args, name), out var v) ? v : fallback;

    /// <summary>
    /// Times <paramref name="windows"/> 30 s windows at each token limit on the constant-output model and solves
    /// time = window + tokens × token. With <see cref="Variant.Parallel"/> 2, two processors run the same loop at once
    /// and the costs are per decode ÷ 2 (what the machine gets done per unit of time).
    /// </summary>
    private static async Task<Costs> MeasureAsync(string model, Variant v, int threads, int windows)
    {
        using var factory = WhisperFactory.FromPath(model, new WhisperFactoryOptions { UseFlashAttention = v.Flash });
        var window = Enumerable.Range(0, 30 * 16000).Select(i => (float)(0.1 * Math.Sin(i * 0.07) + 0.05 * Math.Sin(i * 0.31 + Math.Sin(i * 0.0003)))).ToArray();
        var runs = await Task.WhenAll(Enumerable.Range(0, v.Parallel).Select(_ => Task.Run(() => OneProcessorAsync(factory, window, v, v.Threads > 0 ? v.Threads : threads, windows))));
        double few = runs.Average(r => r.FewMs), many = runs.Average(r => r.ManyMs), nFew = runs.Average(r => r.FewTokens), nMany = runs.Average(r => r.ManyTokens);
        var token = (many - few) / (nMany - nFew);
        // CPU time is the process's: with parallel processors each timed phase holds both, so it is divided between them.
        double fewCpu = runs.Average(r => r.FewCpuMs) / v.Parallel, manyCpu = runs.Average(r => r.ManyCpuMs) / v.Parallel;
        var tokenCpu = (manyCpu - fewCpu) / (nMany - nFew);
        return new Costs((few - nFew * token) / v.Parallel, token / v.Parallel, runs.Average(r => r.EncoderRuns), nFew, nMany, fewCpu - nFew * tokenCpu, tokenCpu);
    }

    private static async Task<(double FewMs, double ManyMs, double FewTokens, double ManyTokens, double EncoderRuns, double FewCpuMs, double ManyCpuMs)> OneProcessorAsync(
        WhisperFactory factory, float[] window, Variant v, int threads, int windows)
    {
        var encoderRuns = 0;
        WhisperProcessor Build(int maxTokens)
        {
            var b = factory.CreateBuilder().WithLanguage("zh").WithThreads(threads).WithNoContext().WithSingleSegment().WithTemperatureInc(0)
                .WithMaxTokensPerSegment(maxTokens).WithEncoderBeginHandler(_ => { Interlocked.Increment(ref encoderRuns); return true; });
            if (v.Prompt) b = b.WithPrompt(new WhisperOptions().InitialPrompt!);
            if (v.Beam > 1) b = b.WithBeamSearchSamplingStrategy(s => s.WithBeamSize(v.Beam));
            if (v.AudioCtx > 0) b = b.WithAudioContextSize(v.AudioCtx);
            return b.Build();
        }
        await using var few = Build(FewTokens);
        await using var many = Build(ManyTokens);
        async Task<int> Once(WhisperProcessor p)
        {
            var n = 0;
            await foreach (var seg in p.ProcessAsync(window)) n += seg.Tokens.Length;
            return n;
        }
        await Once(few); // warm-up: first-use allocations of the processor's buffers
        await Once(many);
        encoderRuns = 0;
        double fewMs = 0, manyMs = 0, fewTokens = 0, manyTokens = 0, fewCpu = 0, manyCpu = 0;
        for (var i = 0; i < windows; i++)
        {
            var sw = Stopwatch.StartNew();
            var cpu = Cpu();
            fewTokens += await Once(few);
            fewMs += sw.Elapsed.TotalMilliseconds;
            fewCpu += Cpu() - cpu;
            sw.Restart();
            cpu = Cpu();
            manyTokens += await Once(many);
            manyMs += sw.Elapsed.TotalMilliseconds;
            manyCpu += Cpu() - cpu;
        }
        return (fewMs / windows, manyMs / windows, fewTokens / windows, manyTokens / windows, encoderRuns / (2.0 * windows), fewCpu / windows, manyCpu / windows);

        static double Cpu() { using var p = Process.GetCurrentProcess(); return p.TotalProcessorTime.TotalMilliseconds; }
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
