using HotlineQA.Audio;

namespace HotlineQA.Transcription;

/// <summary>Local Whisper on ONNX Runtime. Built by the Whisper issue.</summary>
public sealed class WhisperTranscriber : ITranscriber
{
    public string? Unavailable => "the Whisper engine is not built yet";

    public Task<Transcript> TranscribeAsync(string recordingPath, AudioAnalysis? timeline, CancellationToken ct) =>
        throw new NotSupportedException(Unavailable);
}
