namespace HotlineQA.Audio;

/// <summary>Decodes a recording (FFmpeg), splits channels, runs Silero VAD: who spoke when. Built by the audio issue.</summary>
public sealed class AudioAnalyzer
{
    public Task<AudioAnalysis> AnalyzeAsync(string recordingPath, CancellationToken ct = default) =>
        throw new NotSupportedException("the audio front end is not built yet");
}
