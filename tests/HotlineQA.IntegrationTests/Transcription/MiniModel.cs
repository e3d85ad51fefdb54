using HotlineQA.TestSupport.Onnx;
using HotlineQA.Transcription;

namespace HotlineQA.IntegrationTests.Transcription;

/// <summary>A miniature Whisper in a temporary folder, with the real whisper-tiny tokenizer for writing scripts.</summary>
internal sealed class MiniModel : IDisposable
{
    public static readonly WhisperTokenizer Tok = WhisperTokenizer.Load(TestPaths.Shared("data/whisper/whisper-tiny"));

    public MiniModel(MiniWhisperScript script)
    {
        Folder = Path.Combine(Path.GetTempPath(), "hotlineqa-miniwhisper-" + Guid.NewGuid().ToString("N"));
        MiniWhisper.Build(Folder, script);
    }

    public string Folder { get; }

    public static int Ts(double sec) => Tok.TimestampToken(sec);

    public static int[] Text(string s) => Tok.Encode(s).ToArray();

    public static WhisperOptions Options(string folder) => new() { ModelPath = folder, InitialPrompt = null, Threads = 1 };

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
