using HotlineQA.Transcription;

namespace HotlineQA.Audio;

/// <summary>
/// Where <c>hotlineqa models pull silero-vad</c> gets the Silero VAD v5 model: the MIT-licensed file of the
/// snakers4/silero-vad repository at a pinned commit, checked against its SHA-256 (the same file the tests run on).
/// </summary>
public static class SileroVadDownload
{
    public const string Name = "silero-vad";
    public const string FileName = "silero_vad.onnx";
    public const string Commit = "806dcba3f0b5d95282d0889a074954a2f8c6397b";
    public const string Sha256 = "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3";
    public const long Size = 2_327_524;

    /// <summary>The download URL; <c>HOTLINEQA_SILERO_URL</c> points it at a mirror (the checksum still applies).</summary>
    public static Uri Url => new(Environment.GetEnvironmentVariable("HOTLINEQA_SILERO_URL") is { Length: > 0 } u
        ? u
        : $"https://raw.githubusercontent.com/snakers4/silero-vad/{Commit}/src/silero_vad/data/{FileName}");

    /// <summary>The file as the downloader checks it.</summary>
    public static HubFile Expected => new() { Path = FileName, Size = Size, Lfs = new HubLfs(Sha256, Size) };

    /// <summary>Downloads (or resumes) the model into <paramref name="folder"/>; returns the file's path.</summary>
    public static async Task<string> PullAsync(WhisperModelDownloader downloader, Uri url, string folder, CancellationToken ct)
    {
        var dest = Path.Combine(folder, FileName);
        await downloader.FetchAsync(url, Expected, dest, ct);
        return dest;
    }
}
