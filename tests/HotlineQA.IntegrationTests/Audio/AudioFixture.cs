using HotlineQA.Audio;
using HotlineQA.TestSupport.Audio;

namespace HotlineQA.IntegrationTests.Audio;

/// <summary>One analyzer (one Silero session) for a test class, and a scratch folder for generated recordings.</summary>
public sealed class AudioFixture : IDisposable
{
    public AudioFixture()
    {
        AudioTools.RequireFfmpeg();
        Options = new AudioOptions { VadModelPath = TestPaths.Shared("data/silero-vad/silero_vad.onnx") };
        Analyzer = new AudioAnalyzer(Options);
        Dir = Directory.CreateTempSubdirectory("hqa-audio-").FullName;
    }

    public AudioOptions Options { get; }

    public AudioAnalyzer Analyzer { get; }

    public string Dir { get; }

    public string PathFor(string name) => Path.Combine(Dir, name);

    public void Dispose()
    {
        Analyzer.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
