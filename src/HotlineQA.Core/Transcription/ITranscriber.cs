using HotlineQA.Audio;

namespace HotlineQA.Transcription;

/// <summary>Turns a recording into a transcript. Two real implementations: Whisper (ONNX Runtime) and a sidecar file.</summary>
public interface ITranscriber
{
    /// <summary>Why this transcriber cannot run (e.g. no model at the configured path), or null when it can.</summary>
    string? Unavailable { get; }

    Task<Transcript> TranscribeAsync(string recordingPath, AudioAnalysis? timeline, CancellationToken ct);
}
