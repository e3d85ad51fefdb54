namespace HotlineQA.Audio;

/// <summary>Options of the audio front end, bound to configuration section <c>Audio</c>.</summary>
public sealed class AudioOptions
{
    public const string Section = "Audio";

    /// <summary>Path of Silero VAD v5 (<c>silero_vad.onnx</c>). Empty: <c>$HOTLINEQA_MODELS/silero-vad/silero_vad.onnx</c>,
    /// then <c>models/silero-vad/</c> or <c>../shared/data/silero-vad/</c> above the working or program folder.</summary>
    public string VadModelPath { get; set; } = "";

    /// <summary>Speaker of each channel of a stereo recording (default: left = agent, right = customer).</summary>
    public List<string> StereoSpeakers { get; set; } = ["agent", "customer"];

    /// <summary>Per ingest source: the speaker of each channel (index = channel). An empty name ignores that channel.
    /// Needed for recordings with more than two channels.</summary>
    public Dictionary<string, AudioSourceOptions> Sources { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Voice activity detection settings.</summary>
    public VadOptions Vad { get; set; } = new();

    /// <summary>Shortest gap in which nobody speaks that is reported as a silence (seconds).</summary>
    public double MinSilenceSec { get; set; } = 1.0;

    /// <summary>Shortest stretch in which two speakers talk at once that is reported as an overlap (seconds).</summary>
    public double MinOverlapSec { get; set; } = AudioTimeline.DefaultMinOverlapSec;
}

/// <summary>Channel mapping of one ingest source.</summary>
public sealed class AudioSourceOptions
{
    /// <summary>Speaker per channel index, e.g. <c>["customer", "agent"]</c> for a recorder that puts the agent on the right.</summary>
    public List<string> Channels { get; set; } = [];
}

/// <summary>Silero VAD post-processing, with the reference implementation's defaults.</summary>
public sealed class VadOptions
{
    /// <summary>Speech starts when the speech probability reaches this.</summary>
    public float Threshold { get; set; } = 0.5f;

    /// <summary>Speech ends when the probability falls below this; null = <c>Threshold − 0.15</c>.</summary>
    public float? NegThreshold { get; set; }

    public int MinSpeechMs { get; set; } = 250;

    public int MinSilenceMs { get; set; } = 100;

    public int SpeechPadMs { get; set; } = 30;

    /// <summary>Windows quieter than this (RMS, dBFS) are taken as silence without running the model.</summary>
    public double EnergyGateDbfs { get; set; } = -60;

    /// <summary>A segment on one channel that lies mostly inside another speaker's speech and is this many dB
    /// quieter than that channel over its length is echo or crosstalk, not speech. 0 turns the check off.</summary>
    public double CrosstalkMarginDb { get; set; } = 15;

    internal float EffectiveNegThreshold => NegThreshold ?? Math.Max(Threshold - 0.15f, 0.01f);
}
