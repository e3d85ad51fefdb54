using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HotlineQA.Audio;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

/// <summary>
/// Decode once: the audio step writes the call's 16 kHz PCM (float32, channels interleaved, as FFmpeg gave it for VAD)
/// to one temporary file per call, and the transcribe step reads each speaker's channel back from it in blocks
/// instead of running FFmpeg again per channel. Memory stays a block whatever the call's length. The file is removed
/// when the transcription is stored or the call fails; a step on another machine (no shared
/// <c>Pipeline:ScratchFolder</c>) finds no file and decodes the recording itself.
/// </summary>
public sealed class PcmScratch(IOptions<PipelineOptions> options)
{
    private const int BlockSamples = AudioDecoder.SampleRate * 10;

    public string Folder { get; } = string.IsNullOrWhiteSpace(options.Value.ScratchFolder)
        ? Path.Combine(Path.GetTempPath(), "hotlineqa-pcm")
        : Path.GetFullPath(options.Value.ScratchFolder);

    public string PathOf(long callId) => Path.Combine(Folder, $"call-{callId}.f32");

    /// <summary>A fresh file for the call's PCM (written under a temporary name, see <see cref="Commit"/>).</summary>
    public FileStream Create(long callId)
    {
        Directory.CreateDirectory(Folder);
        return new FileStream(PathOf(callId) + ".part", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>Makes a completely written file visible to the transcribe step (a half-written one never is).</summary>
    public void Commit(long callId) => File.Move(PathOf(callId) + ".part", PathOf(callId), overwrite: true);

    public bool Exists(long callId) => File.Exists(PathOf(callId));

    public void Delete(long callId)
    {
        foreach (var p in new[] { PathOf(callId), PathOf(callId) + ".part" })
        {
            try { File.Delete(p); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>One channel of the stored interleaved PCM, from the call's start, in blocks of 10 s.</summary>
    public async IAsyncEnumerable<float[]> ReadChannelAsync(long callId, int channel, int channels, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var s = new FileStream(PathOf(callId), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var frame = new float[BlockSamples * channels];
        var bytes = MemoryMarshal.AsBytes(frame.AsSpan()).ToArray();
        while (true)
        {
            var n = await s.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, ct);
            var frames = n / (sizeof(float) * channels);
            if (frames == 0) yield break;
            var all = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, frames * channels * sizeof(float)));
            var mono = new float[frames];
            for (var i = 0; i < frames; i++) mono[i] = all[i * channels + channel];
            yield return mono;
            if (n < bytes.Length) yield break;
        }
    }
}
