namespace HotlineQA.Audio;

/// <summary>The result of <c>analyze-audio</c> (CONTRACTS.md §4), also stored by the pipeline's audio step.</summary>
public sealed record AudioAnalysis
{
    public double DurationSec { get; init; }
    public int Channels { get; init; }
    public int SampleRate { get; init; }
    public IReadOnlyList<SpeechSegment> Speech { get; init; } = [];
    public IReadOnlyList<Silence> Silences { get; init; } = [];
    public IReadOnlyList<Overlap> Overlaps { get; init; } = [];
    public IReadOnlyDictionary<string, double> TalkRatio { get; init; } = new Dictionary<string, double>();
    /// <summary>Share of the call in which nobody speaks, counting every gap however short.</summary>
    public double SilenceRatio { get; init; }
    /// <summary>Codec of the decoded audio stream as ffprobe names it (e.g. <c>pcm_mulaw</c>, <c>amr_nb</c>).</summary>
    public string? Codec { get; init; }
    /// <summary>Things about the input worth knowing that did not stop the analysis (e.g. a truncated file).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

public sealed record SpeechSegment
{
    public string Speaker { get; init; } = "";
    public double Start { get; init; }
    public double End { get; init; }
    /// <summary>Loudness (dBFS RMS) of the segment; data only, used by opt-in features.</summary>
    public double? LoudnessDb { get; init; }
    /// <summary>Median pitch in Hz; data only, used by opt-in features.</summary>
    public double? PitchHz { get; init; }
}

public sealed record Silence(double Start, double End);

public sealed record Overlap(double Start, double End, string Interrupter);
