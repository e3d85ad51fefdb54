using System.Diagnostics;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HotlineQA.Transcription;

/// <summary>One timed piece of a window's output (times in seconds from the window's start).</summary>
public sealed record DecodedSegment(double Start, double End, IReadOnlyList<int> Tokens, string Text, double Confidence);

/// <summary>The outcome of decoding one ≤30 s window.</summary>
public sealed record WindowResult
{
    public required IReadOnlyList<int> Prompt { get; init; }
    /// <summary>Sampled tokens, timestamps included, end-of-text excluded.</summary>
    public required IReadOnlyList<int> Tokens { get; init; }
    public required IReadOnlyList<DecodedSegment> Segments { get; init; }
    public required double AvgLogProb { get; init; }
    public required double CompressionRatio { get; init; }
    public required double NoSpeechProb { get; init; }
    public required double Temperature { get; init; }
    /// <summary>Temperatures tried, in order (more than one when the fallback fired).</summary>
    public required IReadOnlyList<double> Attempts { get; init; }
    /// <summary>True when the window was judged silent (no-speech probability over the threshold and a low log-probability): no text kept.</summary>
    public required bool NoSpeech { get; init; }
    public required string Language { get; init; }
}

/// <summary>One call of the decoder session, for tests and the benchmark.</summary>
public sealed record DecoderCall(int InputLength, int PastLength, bool UseCacheBranch);

/// <summary>Where the time went (Stopwatch ticks), and what was decoded.</summary>
public sealed class OnnxWhisperStats
{
    public long MelTicks;
    public long EncoderTicks;
    public long DecoderTicks;
    public long TotalTicks;
    public int Windows;
    public int DecoderSteps;
    public bool RecordCalls { get; set; }
    public List<DecoderCall> Calls { get; } = [];
    /// <summary>Call-time ranges (speaker, start, end) whose audio was sent to the model.</summary>
    public List<(string Speaker, double Start, double End)> Decoded { get; } = [];
}

/// <summary>
/// Decodes ≤30 s windows with a loaded <see cref="WhisperModel"/>: log-mel → encoder → greedy decoding with the KV
/// cache of the merged decoder (first step <c>use_cache_branch=false</c> with an empty past, then <c>true</c> with the
/// previous <c>present.*</c>), Whisper's logit rules, temperature fallback and the no-speech test. One engine per
/// worker thread; it reuses its buffers and is not thread-safe.
/// </summary>
public sealed class WhisperEngine : IDisposable
{
    private const double TimePrecision = 0.02;
    private readonly WhisperModel _model;
    private readonly WhisperOptions _options;
    private readonly WhisperTokenizer _tok;
    private readonly LogMelSpectrogram _mel;
    private readonly float[] _features;
    private readonly float[] _scratch;
    private readonly int[] _alwaysSuppressed;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _emptyPast;
    private readonly RunOptions _run = new();
    private readonly int _vocab;
    private readonly int _layers;

    public WhisperEngine(WhisperModel model, WhisperOptions options)
    {
        _model = model;
        _options = options;
        _tok = model.Tokenizer;
        var c = model.Config;
        _vocab = c.VocabSize;
        _layers = c.DecoderLayers;
        _mel = new LogMelSpectrogram(c.MelBins);
        _features = new float[c.MelBins * LogMelSpectrogram.Frames];
        _scratch = new float[_vocab];
        // Never emitted as text: the config's list, plus every control token between end-of-text and the timestamps.
        _alwaysSuppressed = c.SuppressTokens.Where(t => t >= 0 && t < _vocab)
            .Concat(Enumerable.Range(_tok.EndOfText + 1, Math.Max(0, _tok.TimestampBegin - _tok.EndOfText - 1)))
            .Distinct().ToArray();
        _inputNames = ["input_ids", "encoder_hidden_states", .. model.PastNames(), "use_cache_branch"];
        _outputNames = ["logits", .. model.PresentNames()];
        _emptyPast = model.PastNames().Select(_ =>
            OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [1, c.DecoderHeads, 0, c.HeadDim])).ToArray();
    }

    public OnnxWhisperStats Stats { get; } = new();

    /// <summary>Most tokens sampled per window.</summary>
    public int MaxTokens => _options.MaxTokens > 0 ? _options.MaxTokens : _model.Config.MaxTargetPositions / 2;

    /// <summary>
    /// Decodes one window of 16 kHz mono audio (≤30 s). <paramref name="previousText"/> are earlier text tokens of the
    /// same speaker (conditioning); <paramref name="language"/> a code, or null to detect it from this window.
    /// </summary>
    public WindowResult DecodeWindow(ReadOnlySpan<float> audio, IReadOnlyList<int> previousText, string? language, int seed)
    {
        var total = Stopwatch.GetTimestamp();
        Stats.Windows++;
        var t0 = Stopwatch.GetTimestamp();
        _mel.Compute(audio, _features);
        Stats.MelTicks += Stopwatch.GetTimestamp() - t0;

        using var features = OrtValue.CreateTensorValueFromMemory(_features, [1, _model.Config.MelBins, LogMelSpectrogram.Frames]);
        t0 = Stopwatch.GetTimestamp();
        using var encoded = _model.Encoder.Run(_run, ["input_features"], [features], ["last_hidden_state"]);
        Stats.EncoderTicks += Stopwatch.GetTimestamp() - t0;
        var hidden = encoded[0];

        language ??= DetectLanguage(hidden);
        if (!_tok.Languages.TryGetValue(language, out var langToken))
            throw new WhisperModelException($"language '{language}' is not one this Whisper model knows");

        var prompt = new List<int>();
        var prev = previousText.Count > 0 ? previousText : _options.InitialPrompt is { Length: > 0 } ip ? _tok.Encode(" " + ip) : [];
        if (prev.Count > 0)
        {
            prompt.Add(_tok.StartOfPrev);
            // Whisper keeps at most half the context for the previous text.
            var keep = _model.Config.MaxTargetPositions / 2 - 1;
            prompt.AddRange(prev.Skip(Math.Max(0, prev.Count - keep)));
        }
        var sotIndex = prompt.Count;
        prompt.Add(_tok.StartOfTranscript);
        prompt.Add(langToken);
        prompt.Add(_tok.Transcribe);

        var duration = audio.Length / (double)LogMelSpectrogram.SampleRate;
        Attempt? result = null;
        var attempts = new List<double>();
        foreach (var temperature in _options.Temperatures)
        {
            attempts.Add(temperature);
            result = Sample(hidden, prompt, sotIndex, temperature, new Random(seed));
            var needsFallback = result.CompressionRatio > _options.CompressionRatioThreshold || result.AvgLogProb < _options.LogProbThreshold;
            if (result.NoSpeechProb > _options.NoSpeechThreshold && result.AvgLogProb < _options.LogProbThreshold) needsFallback = false;
            if (!needsFallback) break;
        }
        var r = result!;
        var silent = r.NoSpeechProb > _options.NoSpeechThreshold && r.AvgLogProb < _options.LogProbThreshold;
        Stats.TotalTicks += Stopwatch.GetTimestamp() - total;
        return new WindowResult
        {
            Prompt = prompt,
            Tokens = r.Tokens,
            Segments = silent ? [] : Segment(r.Tokens, r.LogProbs, duration),
            AvgLogProb = r.AvgLogProb,
            CompressionRatio = r.CompressionRatio,
            NoSpeechProb = r.NoSpeechProb,
            Temperature = r.Temperature,
            Attempts = attempts,
            NoSpeech = silent,
            Language = language,
        };
    }

    private string DetectLanguage(OrtValue hidden)
    {
        using var ids = OrtValue.CreateTensorValueFromMemory(new long[] { _tok.StartOfTranscript }, [1, 1]);
        using var outputs = RunDecoder(ids, 1, hidden, _emptyPast, useCache: false);
        var row = outputs[0].GetTensorDataAsSpan<float>()[.._vocab];
        string best = "zh";
        var bestLogit = float.NegativeInfinity;
        foreach (var (code, id) in _tok.Languages)
            if (id < _vocab && row[id] > bestLogit) { bestLogit = row[id]; best = code; }
        return best;
    }

    private sealed record Attempt(List<int> Tokens, List<float> LogProbs, double AvgLogProb, double CompressionRatio, double NoSpeechProb, double Temperature);

    private Attempt Sample(OrtValue hidden, List<int> prompt, int sotIndex, double temperature, Random rng)
    {
        var tokens = new List<int>();
        var logProbs = new List<float>();
        double sumLogProb = 0, noSpeech = 0;
        var past = (OrtValue[])_emptyPast.Clone();
        IDisposableReadOnlyCollection<OrtValue>? first = null, last = null;
        var idsBuffer = prompt.Select(t => (long)t).ToArray();
        try
        {
            // The decoder has MaxTargetPositions positions: step k feeds position prompt + k − 1.
            for (var step = 0; step < MaxTokens && prompt.Count + step <= _model.Config.MaxTargetPositions; step++)
            {
                var inputLength = step == 0 ? idsBuffer.Length : 1;
                using var ids = OrtValue.CreateTensorValueFromMemory(idsBuffer, [1, inputLength]);
                var outputs = RunDecoder(ids, inputLength, hidden, past, useCache: step > 0);
                // The logits are filtered in place in ONNX Runtime's output buffer: no copy of the vocabulary per step.
                var logits = outputs[0].GetTensorMutableDataAsSpan<float>();
                if (step == 0) noSpeech = Probability(logits.Slice(sotIndex * _vocab, _vocab), _tok.NoSpeech);
                var row = logits.Slice((inputLength - 1) * _vocab, _vocab);

                for (var i = 0; i < _layers; i++)
                {
                    past[4 * i] = outputs[1 + 4 * i];
                    past[4 * i + 1] = outputs[2 + 4 * i];
                    if (step == 0)
                    {
                        // The cross-attention cache depends only on the audio: computed once, reused every step.
                        past[4 * i + 2] = outputs[3 + 4 * i];
                        past[4 * i + 3] = outputs[4 + 4 * i];
                    }
                }
                if (step == 0) first = outputs;
                else { if (last is not null && last != first) last.Dispose(); last = outputs; }

                var best = ApplyRules(row, tokens);
                var (token, logProb) = Choose(row, best, temperature, rng);
                sumLogProb += logProb;
                if (token == _tok.EndOfText) break;
                tokens.Add(token);
                logProbs.Add(logProb);
                if (step == 0) idsBuffer = new long[1];
                idsBuffer[0] = token;
            }
        }
        finally
        {
            if (last is not null && last != first) last.Dispose();
            first?.Dispose();
        }
        var avg = sumLogProb / (tokens.Count + 1);
        var text = _tok.Decode(tokens);
        return new Attempt(tokens, logProbs, avg, CompressionRatio(text), noSpeech, temperature);
    }

    private IDisposableReadOnlyCollection<OrtValue> RunDecoder(OrtValue ids, int inputLength, OrtValue hidden, OrtValue[] past, bool useCache)
    {
        using var cacheFlag = OrtValue.CreateTensorValueFromMemory(new[] { useCache }, [1]);
        var inputs = new OrtValue[_inputNames.Length];
        inputs[0] = ids;
        inputs[1] = hidden;
        Array.Copy(past, 0, inputs, 2, past.Length);
        inputs[^1] = cacheFlag;
        if (Stats.RecordCalls)
            Stats.Calls.Add(new DecoderCall(inputLength, (int)past[0].GetTensorTypeAndShape().Shape[2], useCache));
        var t0 = Stopwatch.GetTimestamp();
        var outputs = _model.Decoder.Run(_run, _inputNames, inputs, _outputNames);
        Stats.DecoderTicks += Stopwatch.GetTimestamp() - t0;
        Stats.DecoderSteps++;
        return outputs;
    }

    /// <summary>Whisper's logit filters: suppressed tokens, begin suppression, and the timestamp rules.</summary>
    /// <returns>The index of the largest remaining logit (the greedy choice; ties go to the lower id).</returns>
    private int ApplyRules(Span<float> l, List<int> seq)
    {
        var ts = _tok.TimestampBegin;
        var eot = _tok.EndOfText;
        foreach (var t in _alwaysSuppressed) l[t] = float.NegativeInfinity;
        if (seq.Count == 0)
            foreach (var t in _model.Config.BeginSuppressTokens) if (t >= 0 && t < _vocab) l[t] = float.NegativeInfinity;
        if (ts >= _vocab) return TensorPrimitives.IndexOfMax(l);

        var lastTs = seq.Count >= 1 && seq[^1] >= ts;
        var penultimateTs = seq.Count < 2 || seq[^2] >= ts;
        if (lastTs)
        {
            if (penultimateTs) l[ts..].Fill(float.NegativeInfinity); // a pair closes a segment: text or end next
            else l[..eot].Fill(float.NegativeInfinity);              // text just ended: a timestamp or end next
        }
        var lastTimestamp = -1;
        for (var i = seq.Count - 1; i >= 0; i--) if (seq[i] >= ts) { lastTimestamp = seq[i]; break; }
        if (lastTimestamp >= 0)
        {
            // Monotonic: a segment may start where the previous ended, never earlier.
            var floor = lastTs && !penultimateTs ? lastTimestamp : lastTimestamp + 1;
            l[ts..Math.Min(floor, _vocab)].Fill(float.NegativeInfinity);
        }
        if (seq.Count == 0)
        {
            l[..ts].Fill(float.NegativeInfinity);
            if (_model.Config.MaxInitialTimestampIndex is { } maxInit && ts + maxInit + 1 < _vocab)
                l[(ts + maxInit + 1)..].Fill(float.NegativeInfinity);
        }
        // When the timestamps together are likelier than any text token, take a timestamp.
        var textBest = TensorPrimitives.IndexOfMax(l[..ts]);
        var tsBest = ts + TensorPrimitives.IndexOfMax(l[ts..]);
        var textMax = l[textBest];
        if (LogSumExp(l[ts..]) > textMax)
        {
            l[..ts].Fill(float.NegativeInfinity);
            return tsBest;
        }
        return l[tsBest] > textMax ? tsBest : textBest;
    }

    private (int Token, float LogProb) Choose(Span<float> l, int best, double temperature, Random rng)
    {
        var max = l[best];
        var lse = LogSumExpNear(l, max);
        var token = best;
        if (temperature > 0)
        {
            var p = _scratch.AsSpan();
            TensorPrimitives.Subtract(l, max, p);
            TensorPrimitives.Multiply(p, (float)(1 / temperature), p);
            TensorPrimitives.Exp(p, p);
            var target = rng.NextDouble() * TensorPrimitives.Sum(p);
            double acc = 0;
            for (var i = 0; i < p.Length; i++) { acc += p[i]; if (acc >= target && p[i] > 0) { token = i; break; } }
        }
        return (token, l[token] - lse);
    }

    /// <summary>
    /// log Σ exp(x) given the maximum: only values within 20 nats of it are summed (the rest add < 1e-4 relative
    /// over Whisper's whole vocabulary), found by a vector compare so the usual step does no exponentials.
    /// </summary>
    private static float LogSumExpNear(ReadOnlySpan<float> x, float max)
    {
        if (float.IsNegativeInfinity(max)) return max;
        var threshold = max - 20f;
        var vt = new Vector<float>(threshold);
        var width = Vector<float>.Count;
        var blocks = MemoryMarshal.Cast<float, Vector<float>>(x);
        double sum = 0;
        for (var b = 0; b < blocks.Length; b++)
        {
            if (!Vector.GreaterThanAny(blocks[b], vt)) continue;
            for (var j = b * width; j < (b + 1) * width; j++) if (x[j] > threshold) sum += Math.Exp(x[j] - max);
        }
        for (var j = blocks.Length * width; j < x.Length; j++) if (x[j] > threshold) sum += Math.Exp(x[j] - max);
        return max + (float)Math.Log(sum);
    }

    private float LogSumExp(ReadOnlySpan<float> x)
    {
        var max = TensorPrimitives.Max(x);
        if (float.IsNegativeInfinity(max)) return max;
        var tmp = _scratch.AsSpan(0, x.Length);
        TensorPrimitives.Subtract(x, max, tmp);
        TensorPrimitives.Exp(tmp, tmp);
        return max + MathF.Log(TensorPrimitives.Sum(tmp));
    }

    private double Probability(ReadOnlySpan<float> row, int token) => token < row.Length ? Math.Exp(row[token] - LogSumExp(row)) : 0;

    /// <summary>Whisper's gzip test: text that compresses far too well is a repetition loop.</summary>
    public static double CompressionRatio(string text)
    {
        if (text.Length == 0) return 0;
        var bytes = Encoding.UTF8.GetBytes(text);
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(bytes);
        return bytes.Length / (double)ms.Length;
    }

    /// <summary>Timestamp tokens → segments: <c>&lt;|t0|&gt; text &lt;|t1|&gt;</c>; a trailing unclosed text ends with the window.</summary>
    internal List<DecodedSegment> Segment(IReadOnlyList<int> tokens, IReadOnlyList<float> logProbs, double duration)
    {
        var segments = new List<DecodedSegment>();
        double? start = null;
        var text = new List<int>();
        var lps = new List<float>();
        void Close(double end)
        {
            if (text.Count == 0) return;
            var s = Math.Min(start ?? 0, duration);
            var e = Math.Clamp(end, s, duration);
            var conf = Math.Exp(lps.Average());
            segments.Add(new DecodedSegment(s, e, text.ToArray(), _tok.Decode(text), conf));
            text.Clear();
            lps.Clear();
        }
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (_tok.IsTimestamp(t))
            {
                var time = _tok.TimestampSeconds(t);
                if (text.Count > 0) { Close(time); start = null; }
                else start = time;
            }
            else if (_tok.IsText(t)) { text.Add(t); lps.Add(logProbs[i]); }
        }
        Close(duration);
        return segments;
    }

    public void Dispose()
    {
        foreach (var v in _emptyPast) v.Dispose();
        _run.Dispose();
        _mel.Dispose();
    }
}
