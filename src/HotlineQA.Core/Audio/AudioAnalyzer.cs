using HotlineQA.Common;

namespace HotlineQA.Audio;

/// <summary>
/// Decodes a recording (FFmpeg), splits its channels, runs Silero VAD on each: who spoke when. The ONNX session is
/// created once and shared; PCM is never held whole, so memory does not depend on the length of the call.
/// </summary>
public sealed class AudioAnalyzer : IDisposable
{
    public const string Unknown = "unknown";

    private readonly AudioOptions _options;
    private readonly Lazy<SileroVadModel> _model;

    public AudioAnalyzer() : this(new AudioOptions())
    {
    }

    public AudioAnalyzer(AudioOptions options)
    {
        _options = options;
        _model = new Lazy<SileroVadModel>(() => new SileroVadModel(ResolveModelPath(options)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Analyses a recording with the default channel mapping (stereo: <see cref="AudioOptions.StereoSpeakers"/>; mono: <c>unknown</c>).</summary>
    public Task<AudioAnalysis> AnalyzeAsync(string recordingPath, CancellationToken ct = default) =>
        AnalyzeAsync(recordingPath, source: null, ct);

    /// <summary>Analyses a recording with the channel mapping configured for an ingest source (<see cref="AudioOptions.Sources"/>), if any.</summary>
    public Task<AudioAnalysis> AnalyzeAsync(string recordingPath, string? source, CancellationToken ct = default)
    {
        return AnalyzeAsync(recordingPath, MappingOf(source), ct);
    }

    /// <summary>The channel mapping configured for an ingest source (<see cref="AudioOptions.Sources"/>), or null for the default.</summary>
    public IReadOnlyList<string>? MappingOf(string? source) =>
        source is not null && _options.Sources.TryGetValue(source, out var s) && s.Channels.Count > 0 ? s.Channels : null;

    /// <summary>Analyses a recording with an explicit speaker per channel (an empty name ignores that channel).</summary>
    public Task<AudioAnalysis> AnalyzeAsync(string recordingPath, IReadOnlyList<string>? channelSpeakers, CancellationToken ct = default) =>
        AnalyzeAsync(recordingPath, channelSpeakers, pcmOut: null, ct);

    /// <summary>
    /// Analyses a recording and, with <paramref name="pcmOut"/>, also writes the decoded 16 kHz PCM there (float32,
    /// channels interleaved) so that a later step does not decode the recording again.
    /// </summary>
    public async Task<AudioAnalysis> AnalyzeAsync(string recordingPath, IReadOnlyList<string>? channelSpeakers, Stream? pcmOut, CancellationToken ct = default)
    {
        var info = await AudioDecoder.ProbeAsync(recordingPath, ct);
        var speakers = SpeakersFor(info, channelSpeakers);
        var model = _model.Value;
        using var run = new VadRun(model, _options.Vad, speakers);
        var frames = await AudioDecoder.DecodeAsync(info, new AudioDecoder.DecodeRange(0, null, null), info.Channels,
            async (block, token) =>
            {
                run.Feed(block.Span, info.Channels);
                if (pcmOut is not null) await pcmOut.WriteAsync(System.Runtime.InteropServices.MemoryMarshal.AsBytes(block.Span).ToArray(), token);
            }, ct);
        var duration = (double)frames / AudioDecoder.SampleRate;
        var speech = run.Finish(frames);

        var warnings = new List<string>();
        if (frames == 0) warnings.Add("no audio could be decoded: the file holds no samples");
        else if (info.DurationSec > 1 && duration < info.DurationSec - Math.Max(1, 0.02 * info.DurationSec))
            warnings.Add(FormattableString.Invariant($"decoded {duration:F1} s of the {info.DurationSec:F1} s the file declares: it looks truncated"));

        if (run.DuplicateChannels) warnings.Add("both channels carry the same audio (a mono call saved as stereo): analysed as one channel, speakers unknown");
        var names = run.DuplicateChannels ? [Unknown] : speakers.Where(s => s.Length > 0).Distinct().ToList();
        return new AudioAnalysis
        {
            DurationSec = Round(duration),
            Channels = info.Channels,
            SampleRate = info.SampleRate,
            Codec = info.Codec,
            Speech = speech,
            Silences = AudioTimeline.Silences(speech, duration, _options.MinSilenceSec).Select(s => new Silence(Round(s.Start), Round(s.End))).ToList(),
            Overlaps = AudioTimeline.Overlaps(speech, _options.MinOverlapSec).Select(o => o with { Start = Round(o.Start), End = Round(o.End) }).ToList(),
            TalkRatio = AudioTimeline.TalkRatio(speech, names, duration),
            SilenceRatio = duration > 0 ? Math.Round(AudioTimeline.SilenceSec(speech, duration) / duration, 4) : 0,
            Warnings = warnings,
        };
    }

    public void Dispose()
    {
        if (_model.IsValueCreated) _model.Value.Dispose();
    }

    private List<string> SpeakersFor(AudioSourceInfo info, IReadOnlyList<string>? mapping) => SpeakersFor(info.Channels, mapping, info.Path);

    /// <summary>
    /// The speaker of each channel of a recording with <paramref name="channels"/> channels: the source's mapping when
    /// given, else mono → unknown, stereo → <see cref="AudioOptions.StereoSpeakers"/>. An empty name ignores the channel.
    /// </summary>
    public List<string> SpeakersFor(int channels, IReadOnlyList<string>? mapping, string recordingPath)
    {
        var name = Path.GetFileName(recordingPath);
        if (mapping is { Count: > 0 })
        {
            if (mapping.Count != channels)
                throw new BadInputException($"{name}: has {channels} channels but the configured channel mapping names {mapping.Count}");
            if (mapping.All(string.IsNullOrWhiteSpace))
                throw new BadInputException($"{name}: the configured channel mapping assigns no channel to a speaker");
            return mapping.Select(s => s?.Trim() ?? "").ToList();
        }
        return channels switch
        {
            1 => [Unknown],
            2 => _options.StereoSpeakers.Count == 2 ? [.. _options.StereoSpeakers] : ["agent", "customer"],
            _ => throw new BadInputException(
                $"{name}: has {channels} audio channels; only mono and stereo are understood unless a channel mapping is configured (Audio:Sources:<source>:Channels)"),
        };
    }

    private static double Round(double t) => Math.Round(t, 3);

    /// <summary>The shared Silero session (created on first use); for tests and benchmarks of the VAD itself.</summary>
    internal SileroVadModel Model => _model.Value;

    internal static string ResolveModelPath(AudioOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.VadModelPath)) return Path.GetFullPath(options.VadModelPath);
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("HOTLINEQA_MODELS") is { Length: > 0 } models)
        {
            candidates.Add(Path.Combine(models, "silero-vad", "silero_vad.onnx"));
            candidates.Add(Path.Combine(models, "silero_vad.onnx"));
        }
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                candidates.Add(Path.Combine(d.FullName, "models", "silero-vad", "silero_vad.onnx"));
                candidates.Add(Path.Combine(d.FullName, "..", "shared", "data", "silero-vad", "silero_vad.onnx"));
            }
        }
        return candidates.Select(Path.GetFullPath).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "Silero VAD model (silero_vad.onnx) not found: run `hotlineqa models pull silero-vad`, or set Audio:VadModelPath, or put it in $HOTLINEQA_MODELS/silero-vad/ (see docs/audio.md)");
    }
}
