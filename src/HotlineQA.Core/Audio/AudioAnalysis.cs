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
