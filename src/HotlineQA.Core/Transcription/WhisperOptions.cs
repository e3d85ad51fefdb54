namespace HotlineQA.Transcription;

/// <summary>Options of the local Whisper engine (Whisper.net on whisper.cpp), bound to configuration section <c>Whisper</c>.</summary>
public sealed class WhisperOptions
{
    public const string Section = "Whisper";

    /// <summary>A ggml model file (<c>ggml-base.bin</c>, <c>ggml-small-q5_0.bin</c> …) or a folder holding one; default <c>$HOTLINEQA_MODELS/ggml-base.bin</c>.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Language code (<c>zh</c>), or <c>auto</c> to let whisper.cpp detect it per chunk.</summary>
    public string Language { get; set; } = "zh";

    /// <summary>whisper.cpp processors (parallel decodes) in this process; 0 = two per <c>Pipeline:TranscribeWorkers</c> (a
    /// stereo call's channels decode at once), at most one per core, at least one per transcribe worker.</summary>
    public int Processors { get; set; }

    /// <summary>CPU threads per processor; 0 = the machine's cores divided among the processors (at least 1). One thread per
    /// processor and more processors beats more threads: ggml's threads wait for each other after every graph node.</summary>
    public int Threads { get; set; }

    /// <summary>Text given to every chunk as the previous context: domain words, and Simplified script biases the output toward Simplified Chinese.</summary>
    public string? InitialPrompt { get; set; } = "以下是普通话客服电话的录音转写。";

    /// <summary>First decoding temperature; whisper.cpp falls back by <see cref="TemperatureIncrement"/> up to 1.0 when a chunk's output looks wrong.</summary>
    public float Temperature { get; set; }

    /// <summary>Fallback step; 0 turns the fallback off.</summary>
    public float TemperatureIncrement { get; set; } = 0.2f;

    /// <summary>Fallback when the output's token entropy is below this (whisper.cpp's stand-in for Whisper's compression-ratio test: a loop has low entropy).</summary>
    public float EntropyThreshold { get; set; } = 2.4f;

    /// <summary>Fallback when the average token log-probability is below this.</summary>
    public float LogProbThreshold { get; set; } = -1.0f;

    /// <summary>A chunk whose no-speech probability is above this (and whose log-probability is low) yields no text.</summary>
    public float NoSpeechThreshold { get; set; } = 0.6f;

    /// <summary>Beam size; 0 or 1 = greedy decoding (whisper.cpp's default for speed), 5 = Whisper's beam search.</summary>
    public int BeamSize { get; set; }

    /// <summary>whisper.cpp's flash attention (<c>WhisperFactoryOptions.UseFlashAttention</c>): fused attention kernels, the same
    /// attention computed without materialising the 1500 × 1500 score matrices. On by default: measured on base, a 30 s
    /// window costs about a quarter less CPU and a decoder step more, a typical call ~1.13× faster (bench -- whisper --options, docs/whisper.md).</summary>
    public bool FlashAttention { get; set; } = true;

    /// <summary>Speech regions closer than this are glued into one chunk (seconds of the silence kept between them).</summary>
    public double JoinGapSec { get; set; } = 0.3;
}
