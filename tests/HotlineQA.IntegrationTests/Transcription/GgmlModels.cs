using HotlineQA.TestSupport.Whisper;
using HotlineQA.Transcription;

namespace HotlineQA.IntegrationTests.Transcription;

/// <summary>Generated ggml models shared by the Whisper tests of one run (written once per process, deleted at exit).</summary>
internal static class GgmlModels
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "hotlineqa-ggml-" + Environment.ProcessId);
    private static readonly Lazy<string> SmallLazy = new(() => GgmlModel.Write(Path.Combine(Dir, "ggml-small-dims.bin"), GgmlDims.Small, seed: 7));

    static GgmlModels() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    };

    /// <summary>Random weights at small dimensions (64 wide, one layer each side): loads and decodes in milliseconds.</summary>
    public static string SmallDims => SmallLazy.Value;

    /// <summary>One thread per processor; the default temperature fallback (a random model's output always "looks wrong", so
    /// every chunk runs through it: the fallback path is exercised too).</summary>
    public static WhisperOptions Options(string model, int processors = 1) =>
        new() { ModelPath = model, InitialPrompt = null, Threads = 1, Processors = processors };

    /// <summary>A file that is not a model, in a folder of its own.</summary>
    public static string Garbage(string name, byte[] content)
    {
        var dir = Path.Combine(Dir, "garbage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
