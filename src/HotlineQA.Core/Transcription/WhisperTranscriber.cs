using HotlineQA.Audio;
using HotlineQA.Common;
using Microsoft.Extensions.Options;

namespace HotlineQA.Transcription;

/// <summary>One speaker channel ready for Whisper: 16 kHz mono samples and its VAD speech regions (call seconds).</summary>
public sealed record ChannelAudio(string Speaker, float[] Samples, IReadOnlyList<(double Start, double End)> Speech);

/// <summary>
/// Local Whisper on ONNX Runtime. Each speaker channel's speech regions are merged into ≤30 s chunks (silence and
/// hold music never reach the decoder), decoded with the previous text of the same speaker as context, mapped
/// back to call time, converted Traditional → Simplified, and cleaned of phantom phrases and repetition loops.
/// The model loads on first use and is reused; calls are decoded one at a time per instance (one per worker).
/// </summary>
public sealed class WhisperTranscriber : ITranscriber, IDisposable
{
    private readonly WhisperOptions _options;
    private readonly HallucinationGuard _guard;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WhisperModel? _model;
    private WhisperEngine? _engine;

    public WhisperTranscriber(IOptions<WhisperOptions> options) : this(options.Value, HallucinationGuard.Default) { }

    public WhisperTranscriber(WhisperOptions options, HallucinationGuard? guard = null)
    {
        _options = options;
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

    public Task<Transcript> TranscribeAsync(string recordingPath, AudioAnalysis? timeline, CancellationToken ct) =>
        throw new NotSupportedException(
            "transcribing a recording file needs the audio engine's per-channel PCM reader (issue 3), not merged yet; " +
            "use Transcribe(callId, channels, duration) with decoded 16 kHz channels");

    /// <summary>Transcribes decoded channels; utterances are sorted by start time and labelled with their channel's speaker.</summary>
    public Transcript Transcribe(string? callId, IReadOnlyList<ChannelAudio> channels, double durationSec, CancellationToken ct = default, bool recordCalls = false)
    {
        _gate.Wait(ct);
        try
        {
            var engine = Engine();
            engine.Stats.RecordCalls = recordCalls;
            var utterances = new List<Utterance>();
            string? language = null;
            foreach (var channel in channels)
            {
                var lang = string.Equals(_options.Language, "auto", StringComparison.OrdinalIgnoreCase) ? null : _options.Language;
                var history = new List<int>();
                var chunks = SpeechChunker.Plan(channel.Speech, _options.JoinGapSec);
                for (var ci = 0; ci < chunks.Count; ci++)
                {
                    ct.ThrowIfCancellationRequested();
                    var chunk = chunks[ci];
                    var audio = chunk.Cut(channel.Samples, LogMelSpectrogram.SampleRate);
                    foreach (var p in chunk.Pieces) engine.Stats.Decoded.Add((channel.Speaker, p.CallStart, p.CallEnd));
                    var result = engine.DecodeWindow(audio, _options.ConditionOnPreviousText ? history : [], lang, _options.Seed + ci);
                    lang = result.Language;
                    language ??= lang;
                    // Whisper drops the context after a hot (unreliable) decode so a loop cannot feed itself.
                    if (result.Temperature > 0.5) history.Clear();
                    foreach (var seg in result.Segments)
                    {
                        var text = ChineseConverter.TraditionalToSimplified.Convert(seg.Text);
                        var clean = _guard.Clean(text);
                        if (clean is null) continue;
                        history.AddRange(seg.Tokens);
                        var start = Math.Round(chunk.ToCallTime(seg.Start), 2);
                        var end = Math.Round(Math.Max(chunk.ToCallTime(seg.End), start), 2);
                        utterances.Add(new Utterance { Speaker = channel.Speaker, Start = start, End = end, Text = clean, Confidence = Math.Round(seg.Confidence, 3) });
                    }
                }
            }
            return new Transcript
            {
                CallId = callId,
                Language = language ?? (_options.Language == "auto" ? null : _options.Language),
                DurationSec = durationSec,
                Channels = channels.Count,
                Utterances = utterances.OrderBy(u => u.Start).ThenBy(u => u.Speaker, StringComparer.Ordinal).ToList(),
            };
        }
        finally { _gate.Release(); }
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
