using HotlineQA.Audio;
using HotlineQA.Common;
using Microsoft.Extensions.Options;

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

/// <summary>
/// Local Whisper on ONNX Runtime. Each speaker channel's speech regions are merged into ≤30 s chunks (silence and
/// hold music never reach the decoder), decoded with the previous text of the same speaker as context, mapped
/// back to call time, converted Traditional → Simplified, and cleaned of phantom phrases and repetition loops.
/// The model loads on first use and is reused; calls are decoded one at a time per instance (one per worker).
/// </summary>
public sealed class WhisperTranscriber : ITranscriber, IDisposable
{
    private readonly WhisperOptions _options;
    private readonly AudioOptions _audio;
    private readonly AudioAnalyzer? _analyzer;
    private readonly HallucinationGuard _guard;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WhisperModel? _model;
    private WhisperEngine? _engine;

    public WhisperTranscriber(IOptions<WhisperOptions> options, IOptions<AudioOptions>? audio = null, AudioAnalyzer? analyzer = null)
        : this(options.Value, audio?.Value, analyzer) { }

    /// <param name="audio">Channel mapping (<see cref="AudioOptions.StereoSpeakers"/>) and VAD settings, shared with the audio step.</param>
    /// <param name="analyzer">Used when a recording comes without a timeline; one is created per call otherwise.</param>
    public WhisperTranscriber(WhisperOptions options, AudioOptions? audio = null, AudioAnalyzer? analyzer = null, HallucinationGuard? guard = null)
    {
        _options = options;
        _audio = audio ?? new AudioOptions();
        _analyzer = analyzer;
        _guard = guard ?? HallucinationGuard.Default;
    }

    public string ModelFolder => _options.ModelPath is { Length: > 0 } p ? p : WhisperModelFiles.DefaultFolder();

    /// <summary>Null when the model folder holds every file; otherwise the folder and the missing files.</summary>
    public string? Unavailable
    {
        get
        {
            if (_model is not null) return null;
            WhisperModelFiles.Locate(ModelFolder, _options.Variant, out var problem);
            return problem;
        }
    }

    /// <summary>Timing and decoding counters of this instance's engine (null before the model is loaded).</summary>
    public WhisperStats? Stats => _engine?.Stats;

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

    /// <summary>Transcribes decoded channels; utterances are sorted by start time and labelled with their channel's speaker.</summary>
    public async Task<Transcript> TranscribeChannelsAsync(string? callId, IReadOnlyList<ChannelAudio> channels, double durationSec,
        CancellationToken ct = default, bool recordCalls = false)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var engine = Engine();
            engine.Stats.RecordCalls = recordCalls;
            var utterances = new List<Utterance>();
            string? language = null;
            foreach (var channel in channels)
            {
                var state = new ChannelState(this, engine, channel.Speaker);
                var chunks = SpeechChunker.Plan(channel.Speech, _options.JoinGapSec);
                if (chunks.Count == 0) continue;
                await foreach (var (chunk, audio) in Fill(chunks, channel.Pcm(ct), ct))
                {
                    ct.ThrowIfCancellationRequested();
                    utterances.AddRange(state.Decode(chunk, audio));
                }
                language ??= state.Language;
            }
            return new Transcript
            {
                CallId = callId,
                Language = language ?? (IsAuto ? null : _options.Language),
                DurationSec = durationSec,
                Channels = channels.Count,
                Utterances = utterances.OrderBy(u => u.Start).ThenBy(u => u.Speaker, StringComparer.Ordinal).ToList(),
            };
        }
        finally { _gate.Release(); }
    }

    private bool IsAuto => string.Equals(_options.Language, "auto", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Streams a channel once and hands out each chunk's samples as soon as the stream has passed its last region:
    /// memory holds one chunk and one block, whatever the length of the call. A stream that ends early leaves the
    /// rest of a chunk as digital silence.
    /// </summary>
    private static async IAsyncEnumerable<(SpeechChunk Chunk, float[] Audio)> Fill(List<SpeechChunk> chunks, IAsyncEnumerable<float[]> pcm,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int rate = LogMelSpectrogram.SampleRate;
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

    /// <summary>The running context of one speaker: previous text, detected language, window count.</summary>
    private sealed class ChannelState(WhisperTranscriber owner, WhisperEngine engine, string speaker)
    {
        private readonly List<int> _history = [];
        private int _window;

        public string? Language { get; private set; }

        public List<Utterance> Decode(SpeechChunk chunk, float[] audio)
        {
            var o = owner._options;
            foreach (var p in chunk.Pieces) engine.Stats.Decoded.Add((speaker, p.CallStart, p.CallEnd));
            var result = engine.DecodeWindow(audio, o.ConditionOnPreviousText ? _history : [], Language ?? (owner.IsAuto ? null : o.Language), o.Seed + _window++);
            Language = result.Language;
            // Whisper drops the context after a hot (unreliable) decode so a loop cannot feed itself.
            if (result.Temperature > 0.5) _history.Clear();
            var list = new List<Utterance>();
            string? previous = null;
            var repeats = 0;
            foreach (var seg in result.Segments)
            {
                var text = ChineseConverter.TraditionalToSimplified.Convert(seg.Text);
                var clean = owner._guard.Clean(text);
                if (clean is null) continue;
                // A loop can also span segments: the same sentence again and again. Keep it twice at most.
                repeats = HallucinationGuard.Normalize(clean) == previous ? repeats + 1 : 0;
                previous = HallucinationGuard.Normalize(clean);
                if (repeats >= 2) continue;
                _history.AddRange(seg.Tokens);
                var start = Math.Round(chunk.ToCallTime(seg.Start), 2);
                var end = Math.Round(Math.Max(chunk.ToCallTime(seg.End), start), 2);
                list.Add(new Utterance { Speaker = speaker, Start = start, End = end, Text = clean, Confidence = Math.Round(seg.Confidence, 3) });
            }
            return list;
        }
    }

    private WhisperEngine Engine()
    {
        if (_engine is not null) return _engine;
        if (Unavailable is { } problem) throw new WhisperModelException(problem);
        _model = WhisperModel.Load(ModelFolder, _options.Variant, _options.Threads);
        _engine = new WhisperEngine(_model, _options);
        return _engine;
    }

    public void Dispose()
    {
        _engine?.Dispose();
        _model?.Dispose();
        _gate.Dispose();
    }
}
