using System.Collections.Concurrent;
using System.Diagnostics;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.Pipeline;
using Microsoft.Extensions.Options;
using Whisper.net;

namespace HotlineQA.Transcription;

/// <summary>
/// One speaker channel for Whisper: its VAD speech regions (call seconds) and its 16 kHz mono PCM from the start of
/// the call, as a stream of blocks (read once, in order; only the regions' samples are kept).
/// </summary>
public sealed record ChannelAudio(string Speaker, IReadOnlyList<(double Start, double End)> Speech, Func<CancellationToken, IAsyncEnumerable<float[]>> Pcm)
{
    /// <summary>A channel already in memory.</summary>
    public static ChannelAudio FromSamples(string speaker, float[] samples, IReadOnlyList<(double Start, double End)> speech) =>
        new(speaker, speech, ct => Blocks(samples, ct));

    private static async IAsyncEnumerable<float[]> Blocks(float[] samples, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int block = 16000 * 10;
        for (var i = 0; i < samples.Length; i += block)
        {
            ct.ThrowIfCancellationRequested();
            yield return samples[i..Math.Min(samples.Length, i + block)];
        }
        await Task.CompletedTask;
    }
}

/// <summary>Where the time went and what was decoded (counters of one <see cref="WhisperTranscriber"/>; thread-safe).</summary>
public sealed class WhisperStats
{
    private long _engineTicks, _chunks, _tokens, _encoderRuns, _running, _maxRunning;
    private readonly ConcurrentQueue<(string Speaker, double Start, double End)> _decoded = new();
    private readonly ConcurrentQueue<(long Start, long End)> _decodes = new();

    /// <summary>Stopwatch ticks spent inside whisper.cpp (Whisper.net's <c>ProcessAsync</c>), summed over processors.</summary>
    public long EngineTicks => Interlocked.Read(ref _engineTicks);
    public long Chunks => Interlocked.Read(ref _chunks);
    /// <summary>Tokens whisper.cpp returned (text and timestamps, in kept segments).</summary>
    public long Tokens => Interlocked.Read(ref _tokens);
    /// <summary>Call-time ranges (speaker, start, end) whose audio was sent to the model.</summary>
    public IReadOnlyCollection<(string Speaker, double Start, double End)> Decoded => _decoded;

    /// <summary>30 s windows whisper.cpp encoded (its encoder-begin callback): one per chunk when the decode reaches the
    /// chunk's end, more when it re-seeks inside the chunk (a segment ending early, or a failed decode skipping 1 s).</summary>
    public long EncoderRuns => Interlocked.Read(ref _encoderRuns);

    /// <summary>Most chunk decodes that were inside whisper.cpp at the same moment (on this transcriber's processors).</summary>
    public long MaxConcurrentDecodes => Interlocked.Read(ref _maxRunning);

    /// <summary>Each chunk decode's start and end (<see cref="Stopwatch.GetTimestamp"/>), in the order they finished.</summary>
    public IReadOnlyCollection<(long Start, long End)> Decodes => _decodes;

    internal void Add(long ticks, int tokens)
    {
        Interlocked.Add(ref _engineTicks, ticks);
        Interlocked.Increment(ref _chunks);
        Interlocked.Add(ref _tokens, tokens);
    }

    internal void EncoderBegan() => Interlocked.Increment(ref _encoderRuns);

    internal long DecodeStarted()
    {
        var now = Interlocked.Increment(ref _running);
        long max;
        while (now > (max = Interlocked.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, max) != max) { }
        return Stopwatch.GetTimestamp();
    }

    internal void DecodeEnded(long start)
    {
        _decodes.Enqueue((start, Stopwatch.GetTimestamp()));
        Interlocked.Decrement(ref _running);
    }

    internal void AddDecoded(string speaker, double start, double end) => _decoded.Enqueue((speaker, start, end));
}

/// <summary>
/// Local Whisper on Whisper.net (whisper.cpp). Each speaker channel's VAD speech regions are merged into ≤30 s chunks
/// (silence and hold music never reach the decoder), each chunk is decoded by whisper.cpp with the initial prompt,
/// its segments are mapped back to call time, converted Traditional → Simplified, and cleaned of phantom phrases and
/// repetition loops. One <see cref="WhisperFactory"/> per model file per process; a pool of processors (as many as
/// <see cref="WhisperOptions.Processors"/>) lets several transcriptions run at once on one instance.
/// </summary>
public sealed class WhisperTranscriber : ITranscriber, IDisposable, IAsyncDisposable
{
    public const int SampleRate = 16000;
    private static readonly ConcurrentDictionary<string, Lazy<WhisperFactory>> Factories = new(StringComparer.Ordinal);

    private readonly WhisperOptions _options;
    private readonly AudioOptions _audio;
    private readonly AudioAnalyzer? _analyzer;
    private readonly HallucinationGuard _guard;
    private readonly int _processors;
    private readonly int _threads;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<WhisperProcessor> _idle = [];
    private readonly ConcurrentDictionary<WhisperProcessor, byte> _all = new();
    private string? _file;
    private bool _disposed;

    public WhisperTranscriber(IOptions<WhisperOptions> options, IOptions<AudioOptions>? audio = null, AudioAnalyzer? analyzer = null, IOptions<PipelineOptions>? pipeline = null)
        : this(options.Value, audio?.Value, analyzer, pipeline: pipeline?.Value) { }

    /// <param name="audio">Channel mapping (<see cref="AudioOptions.StereoSpeakers"/>) and VAD settings, shared with the audio step.</param>
    /// <param name="analyzer">Used when a recording comes without a timeline; one is created per call otherwise.</param>
    /// <param name="pipeline">Its <see cref="PipelineOptions.HeavyWorkers"/> is the number of processors when <see cref="WhisperOptions.Processors"/> is 0.</param>
    public WhisperTranscriber(WhisperOptions options, AudioOptions? audio = null, AudioAnalyzer? analyzer = null, HallucinationGuard? guard = null, PipelineOptions? pipeline = null)
    {
        _options = options;
        _audio = audio ?? new AudioOptions();
        _analyzer = analyzer;
        _guard = guard ?? HallucinationGuard.Default;
        _processors = options.Processors > 0 ? options.Processors : DefaultProcessors(pipeline?.HeavyWorkers ?? 1, Environment.ProcessorCount);
        _threads = options.Threads > 0 ? options.Threads : Math.Max(1, Environment.ProcessorCount / _processors);
        _slots = new SemaphoreSlim(_processors, _processors);
    }

    /// <summary>
    /// Processors when <see cref="WhisperOptions.Processors"/> is 0: two per transcribe worker (the two channels of a
    /// stereo call decode at once), at most one per core, at least one per transcribe worker. With the threads default
    /// (cores ÷ processors) every decode then runs on one thread: on 2 cores, 2 single-thread processors transcribe
    /// more per second than 1 processor of 2 threads, whose threads meet at a barrier after every graph node and wait
    /// for each other whenever the machine is busy (bench -- whisper --options, docs/whisper.md).
    /// </summary>
    internal static int DefaultProcessors(int transcribeWorkers, int cores) =>
        Math.Max(Math.Max(1, transcribeWorkers), Math.Min(cores, 2 * Math.Max(1, transcribeWorkers)));

    /// <summary>The configured model: a ggml file or a folder holding one (<c>Whisper:ModelPath</c>; default <c>$HOTLINEQA_MODELS/ggml-base.bin</c>).</summary>
    public string ModelPath => _options.ModelPath is { Length: > 0 } p ? p : WhisperModelFile.DefaultPath();

    /// <summary>Same as <see cref="ModelPath"/> (the name the pipeline has used since the ONNX engine).</summary>
    public string ModelFolder => ModelPath;

    /// <summary>Processors (parallel decodes) and CPU threads each.</summary>
    public (int Processors, int Threads) Parallelism => (_processors, _threads);

    /// <summary>Null when the model file is there and looks like a ggml model; otherwise the file and the command that fixes it.</summary>
    public string? Unavailable
    {
        get
        {
            if (_file is not null) return null;
            WhisperModelFile.Resolve(ModelPath, out var problem);
            return problem;
        }
    }

    public WhisperStats Stats { get; } = new();

    /// <summary>
    /// Transcribes a recording: each speaker channel is streamed from FFmpeg (16 kHz) and only its speech regions of
    /// <paramref name="timeline"/> are decoded. Without a timeline the audio step's analysis runs first.
    /// </summary>
    public Task<Transcript> TranscribeAsync(string recordingPath, AudioAnalysis? timeline, CancellationToken ct) =>
        TranscribeAsync(recordingPath, timeline, channelSpeakers: null, ct);

    /// <param name="channelSpeakers">Speaker of each channel (as <c>Audio:Sources</c>); null = mono → unknown, stereo → <see cref="AudioOptions.StereoSpeakers"/>.</param>
    public async Task<Transcript> TranscribeAsync(string recordingPath, AudioAnalysis? timeline, IReadOnlyList<string>? channelSpeakers, CancellationToken ct)
    {
        if (Unavailable is { } problem) throw new WhisperModelException(problem);
        if (timeline is null)
        {
            if (_analyzer is not null) timeline = await _analyzer.AnalyzeAsync(recordingPath, channelSpeakers, ct);
            else
            {
                using var analyzer = new AudioAnalyzer(_audio);
                timeline = await analyzer.AnalyzeAsync(recordingPath, channelSpeakers, ct);
            }
        }
        var speakers = channelSpeakers is { Count: > 0 } ? channelSpeakers
            : timeline.Channels switch
            {
                1 => [AudioAnalyzer.Unknown],
                2 => _audio.StereoSpeakers,
                _ => throw new BadInputException($"{Path.GetFileName(recordingPath)}: has {timeline.Channels} channels; transcription needs the channel mapping of its source (Audio:Sources)"),
            };
        var channels = new List<ChannelAudio>();
        for (var i = 0; i < speakers.Count; i++)
        {
            var speaker = speakers[i];
            if (string.IsNullOrWhiteSpace(speaker)) continue;
            // Mono: every speech region is on the one channel, whatever its label.
            var regions = timeline.Speech.Where(s => speakers.Count == 1 || s.Speaker == speaker).Select(s => (s.Start, s.End)).ToList();
            var channel = i;
            channels.Add(new ChannelAudio(speaker, regions, c => AudioDecoder.StreamChannelAsync(recordingPath, channel, ct: c)));
        }
        return await TranscribeChannelsAsync(Transcript.BaseName(recordingPath), channels, timeline.DurationSec, ct) with { Channels = timeline.Channels };
    }

    /// <summary>
    /// Transcribes decoded channels; utterances are sorted by start time and labelled with their channel's speaker.
    /// Safe to call from several threads at once: each chunk takes a processor from the pool for its decode. With more
    /// than one processor the channels are transcribed at the same time (each channel's chunks in order); the first
    /// failure cancels the other channels.
    /// </summary>
    public async Task<Transcript> TranscribeChannelsAsync(string? callId, IReadOnlyList<ChannelAudio> channels, double durationSec, CancellationToken ct = default)
    {
        var factory = Factory();
        (List<Utterance> Utterances, string? Language)[] results;
        if (_processors == 1 || channels.Count < 2)
        {
            results = new (List<Utterance>, string?)[channels.Count];
            for (var i = 0; i < channels.Count; i++) results[i] = await ChannelAsync(factory, channels[i], ct);
        }
        else
        {
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
            results = await Task.WhenAll(channels.Select(async channel =>
            {
                try { return await ChannelAsync(factory, channel, failed.Token); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await failed.CancelAsync();
                    throw;
                }
            }));
        }
        var utterances = results.SelectMany(r => r.Utterances).ToList();
        var language = results.Select(r => r.Language).FirstOrDefault(l => l is not null);
        return new Transcript
        {
            CallId = callId,
            Language = language ?? (IsAuto ? null : _options.Language),
            DurationSec = durationSec,
            Channels = channels.Count,
            Utterances = utterances.OrderBy(u => u.Start).ThenBy(u => u.Speaker, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>One channel: its speech chunks decoded in order, as they come out of its PCM stream.</summary>
    private async Task<(List<Utterance> Utterances, string? Language)> ChannelAsync(WhisperFactory factory, ChannelAudio channel, CancellationToken ct)
    {
        var utterances = new List<Utterance>();
        string? language = null;
        var chunks = SpeechChunker.Plan(channel.Speech, _options.JoinGapSec);
        if (chunks.Count == 0) return (utterances, null);
        await foreach (var (chunk, audio) in Fill(chunks, channel.Pcm(ct), ct))
        {
            ct.ThrowIfCancellationRequested();
            foreach (var p in chunk.Pieces) Stats.AddDecoded(channel.Speaker, p.CallStart, p.CallEnd);
            var (segments, lang) = await DecodeAsync(factory, audio, ct);
            language ??= lang;
            utterances.AddRange(ToUtterances(channel.Speaker, chunk, segments));
        }
        return (utterances, language);
    }

    private bool IsAuto => string.Equals(_options.Language, "auto", StringComparison.OrdinalIgnoreCase);

    /// <summary>One chunk through a pooled processor; the processor returns to the pool whatever happens.</summary>
    private async Task<(List<SegmentData> Segments, string? Language)> DecodeAsync(WhisperFactory factory, float[] audio, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        WhisperProcessor? processor = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_idle.TryTake(out processor))
            {
                try { processor = Build(factory); }
                catch (WhisperModelLoadException e) { throw CannotLoad(_file!, e); }
                _all.TryAdd(processor, 0);
            }
            var segments = new List<SegmentData>();
            var sw = Stopwatch.StartNew();
            var started = Stats.DecodeStarted();
            try
            {
                await foreach (var seg in processor.ProcessAsync(audio, ct)) segments.Add(seg);
            }
            catch (OperationCanceledException)
            {
                // Whisper.net stops enumerating at once, but whisper.cpp only notices the abort at its next check, on
                // its own thread: this processor is still busy. It leaves the pool and is disposed once the native run
                // has stopped (DisposeAsync waits for it); the slot stays taken until then, so no more than
                // Processors runs are ever in flight.
                _all.TryRemove(processor, out _);
                var busy = processor;
                processor = null;
                await busy.DisposeAsync();
                throw;
            }
            finally { Stats.DecodeEnded(started); }
            Stats.Add(sw.ElapsedTicks, segments.Sum(s => s.Tokens?.Length ?? 0));
            return (segments, segments.FirstOrDefault()?.Language);
        }
        finally
        {
            if (processor is not null) _idle.Add(processor);
            _slots.Release();
        }
    }

    private WhisperProcessor Build(WhisperFactory factory)
    {
        var b = factory.CreateBuilder()
            .WithThreads(_threads)
            .WithNoContext() // a pooled processor must not carry one call's text into another's
            .WithProbabilities()
            .WithTemperature(_options.Temperature)
            .WithTemperatureInc(_options.TemperatureIncrement)
            .WithEntropyThreshold(_options.EntropyThreshold)
            .WithLogProbThreshold(_options.LogProbThreshold)
            .WithNoSpeechThreshold(_options.NoSpeechThreshold)
            .WithEncoderBeginHandler(_ => { Stats.EncoderBegan(); return true; });
        b = IsAuto ? b.WithLanguageDetection() : b.WithLanguage(_options.Language);
        if (_options.InitialPrompt is { Length: > 0 } prompt) b = b.WithPrompt(prompt);
        if (_options.BeamSize > 1) b = b.WithBeamSearchSamplingStrategy(s => s.WithBeamSize(_options.BeamSize));
        return b.Build();
    }

    /// <summary>whisper.cpp's segments of one chunk → utterances in call time, cleaned.</summary>
    private IEnumerable<Utterance> ToUtterances(string speaker, SpeechChunk chunk, List<SegmentData> segments)
    {
        string? previous = null;
        var repeats = 0;
        foreach (var seg in segments)
        {
            var text = ChineseConverter.TraditionalToSimplified.Convert(seg.Text);
            var clean = _guard.Clean(text);
            if (clean is null) continue;
            // A loop can also span segments: the same sentence again and again. Keep it twice at most.
            repeats = HallucinationGuard.Normalize(clean) == previous ? repeats + 1 : 0;
            previous = HallucinationGuard.Normalize(clean);
            if (repeats >= 2) continue;
            var start = Math.Round(chunk.ToCallTime(seg.Start.TotalSeconds), 2);
            var end = Math.Round(Math.Max(chunk.ToCallTime(seg.End.TotalSeconds), start), 2);
            yield return new Utterance { Speaker = speaker, Start = start, End = end, Text = clean, Confidence = Math.Round(Confidence(seg), 3) };
        }
    }

    /// <summary>exp(mean log-probability) of the segment's text tokens (special and timestamp tokens left out), like Whisper's avg_logprob.</summary>
    internal static double Confidence(SegmentData seg)
    {
        var probs = (seg.Tokens ?? []).Where(t => t.Id < EndOfText && t.Probability > 0).Select(t => (double)t.Probability).ToList();
        if (probs.Count == 0) return seg.Probability;
        return Math.Exp(probs.Average(Math.Log));
    }

    /// <summary>Whisper's <c>&lt;|endoftext|&gt;</c>: every id from here on is a control or timestamp token (all multilingual sizes).</summary>
    private const int EndOfText = 50257;

    private WhisperFactory Factory()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var file = _file ?? WhisperModelFile.Resolve(ModelPath, out var problem) ?? throw new WhisperModelException(problem!);
        // One factory per model file and flash-attention setting (whisper.cpp takes it when the context is made).
        var key = Path.GetFullPath(file) + (_options.FlashAttention ? "|flash" : "");
        var flash = _options.FlashAttention;
        var lazy = Factories.GetOrAdd(key, _ => new Lazy<WhisperFactory>(() => Load(Path.GetFullPath(file), flash)));
        try
        {
            var factory = lazy.Value;
            _file = file;
            return factory;
        }
        catch (WhisperModelException)
        {
            // A file that failed to load may be replaced (a pull finishing); the next call tries again.
            Factories.TryRemove(new KeyValuePair<string, Lazy<WhisperFactory>>(key, lazy));
            throw;
        }
    }

    private static WhisperFactory Load(string file, bool flashAttention)
    {
        try { return WhisperFactory.FromPath(file, new WhisperFactoryOptions { UseFlashAttention = flashAttention }); }
        catch (Exception e) when (e is WhisperModelLoadException or DllNotFoundException or EntryPointNotFoundException) { throw CannotLoad(file, e); }
    }

    private static WhisperModelException CannotLoad(string file, Exception e) =>
        new($"Whisper model '{file}' cannot be loaded by whisper.cpp ({e.Message}); run 'hotlineqa models pull whisper-base' or point --model / Whisper:ModelPath at a ggml .bin file", e);

    /// <summary>
    /// Streams a channel once and hands out each chunk's samples as soon as the stream has passed its last region:
    /// memory holds one chunk and one block, whatever the length of the call. A stream that ends early leaves the
    /// rest of a chunk as digital silence.
    /// </summary>
    private static async IAsyncEnumerable<(SpeechChunk Chunk, float[] Audio)> Fill(List<SpeechChunk> chunks, IAsyncEnumerable<float[]> pcm,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int rate = SampleRate;
        var ci = 0;
        var buffer = new float[Samples(chunks[0].Duration)];
        long pos = 0;
        await foreach (var block in pcm.WithCancellation(ct))
        {
            long blockEnd = pos + block.Length;
            while (ci < chunks.Count)
            {
                var chunk = chunks[ci];
                foreach (var p in chunk.Pieces)
                {
                    long from = Math.Max(Samples(p.CallStart), pos), to = Math.Min(Samples(p.CallStart) + Samples(p.Length), blockEnd);
                    if (to <= from) continue;
                    var at = Samples(p.Offset) + (from - Samples(p.CallStart));
                    var n = (int)Math.Min(to - from, buffer.Length - at);
                    if (n > 0) block.AsSpan((int)(from - pos), n).CopyTo(buffer.AsSpan((int)at));
                }
                var last = chunk.Pieces[^1];
                if (blockEnd < Samples(last.CallStart) + Samples(last.Length)) break;
                yield return (chunk, buffer);
                if (++ci < chunks.Count) buffer = new float[Samples(chunks[ci].Duration)];
            }
            pos = blockEnd;
            if (ci == chunks.Count) yield break;
        }
        for (; ci < chunks.Count; ci++)
        {
            yield return (chunks[ci], buffer);
            if (ci + 1 < chunks.Count) buffer = new float[Samples(chunks[ci + 1].Duration)];
        }

        static int Samples(double sec) => (int)Math.Round(sec * rate);
    }

    /// <summary>Frees the processors, waiting for any native run still stopping after a cancellation.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var p in _all.Keys)
        {
            _all.TryRemove(p, out _);
            await p.DisposeAsync(); // waits if whisper.cpp is still running on it
        }
        _idle.Clear();
        // Factories are shared by every transcriber of the process (one per model file) and live as long as it.
    }
}
