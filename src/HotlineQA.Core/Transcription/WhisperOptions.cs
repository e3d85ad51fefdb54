namespace HotlineQA.Transcription;

/// <summary>Options of the local Whisper engine, bound to configuration section <c>Whisper</c>.</summary>
public sealed class WhisperOptions
{
    public const string Section = "Whisper";

    /// <summary>The model folder; default <c>$HOTLINEQA_MODELS/whisper-base</c> (<c>models/whisper-base</c> when unset).</summary>
    public string? ModelPath { get; set; }

    /// <summary><c>fp32</c> (encoder_model.onnx), <c>quantized</c> (encoder_model_quantized.onnx), or <c>auto</c>: fp32 if present, else quantized.</summary>
    public string Variant { get; set; } = "auto";

    /// <summary>Language code (<c>zh</c>), or <c>auto</c> to detect it per channel from the language-token logits.</summary>
    public string Language { get; set; } = "zh";

    /// <summary>ONNX Runtime intra-op threads per session; 0 lets ONNX Runtime choose.</summary>
    public int Threads { get; set; }

    /// <summary>Text fed after <c>&lt;|startofprev|&gt;</c> before the first window: domain words, and Simplified script biases the output toward Simplified Chinese.</summary>
    public string? InitialPrompt { get; set; } = "以下是普通话客服电话的录音转写。";

    public bool ConditionOnPreviousText { get; set; } = true;

    /// <summary>Temperatures tried in turn when a window's output looks wrong (Whisper's fallback).</summary>
    public double[] Temperatures { get; set; } = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];

    public double CompressionRatioThreshold { get; set; } = 2.4;
    public double LogProbThreshold { get; set; } = -1.0;
    public double NoSpeechThreshold { get; set; } = 0.6;

    /// <summary>Most tokens sampled per window; 0 = half the decoder context (224 for every Whisper size).</summary>
    public int MaxTokens { get; set; }

    /// <summary>Seed of the sampler used at temperatures above 0, so a rerun gives the same transcript.</summary>
    public int Seed { get; set; } = 1234;

    /// <summary>Speech regions closer than this are glued into one chunk (seconds of the silence kept between them).</summary>
    public double JoinGapSec { get; set; } = 0.3;
}
