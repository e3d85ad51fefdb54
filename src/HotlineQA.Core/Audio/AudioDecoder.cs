using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using FFMpegCore;
using FFMpegCore.Exceptions;
using FFMpegCore.Pipes;
using HotlineQA.Common;

namespace HotlineQA.Audio;

/// <summary>What ffprobe says about a recording's first audio stream.</summary>
public sealed record AudioSourceInfo(string Path, int Channels, int SampleRate, double DurationSec, string Codec, string Container);

/// <summary>
/// FFmpeg (through FFMpegCore) turns any recording into 16 kHz float PCM, streamed through a pipe in blocks so
/// memory does not grow with the length of the call. Public so that transcription can read speech regions.
/// </summary>
public static class AudioDecoder
{
    /// <summary>Rate of every decoded sample this class returns.</summary>
    public const int SampleRate = 16000;

    /// <summary>Probes a recording; bad files (missing, empty, not audio, no audio stream) raise <see cref="BadInputException"/>.</summary>
    public static async Task<AudioSourceInfo> ProbeAsync(string path, CancellationToken ct = default)
    {
        var name = System.IO.Path.GetFileName(path);
        var file = new FileInfo(path);
        if (!file.Exists) throw new BadInputException($"{name}: file not found");
        if (file.Length == 0) throw new BadInputException($"{name}: the file is empty (0 bytes)");
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(file.FullName, cancellationToken: ct);
        }
        catch (Exception e) when (e is FFMpegException or FormatNullException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new BadInputException($"{name}: not a readable audio file ({FirstLine(e.Message)})", e);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("ffprobe is not installed (Debian package ffmpeg; run scripts/setup.sh)", e);
        }
        var a = analysis.PrimaryAudioStream
            ?? throw new BadInputException($"{name}: the file has no audio stream");
        var channels = a.Channels ?? 0;
        if (channels <= 0) throw new BadInputException($"{name}: the audio stream has no channels");
        var duration = a.Duration > TimeSpan.Zero ? a.Duration : analysis.Duration;
        return new AudioSourceInfo(file.FullName, channels, a.SampleRateHz ?? 0, duration.TotalSeconds, a.CodecName ?? "", analysis.Format?.FormatName ?? "");
    }

    /// <summary>
    /// Reads one channel (0 = left) of a recording as 16 kHz mono float PCM for <paramref name="startSec"/> to
    /// <paramref name="endSec"/> (null = to the end). Memory is proportional to the range asked for; use
    /// <see cref="StreamChannelAsync"/> for long ranges.
    /// </summary>
    public static async Task<float[]> ReadChannelAsync(string path, int channel, double startSec, double? endSec, CancellationToken ct = default)
    {
        var capacity = endSec is { } e ? (int)Math.Ceiling(Math.Max(0, e - startSec) * SampleRate) + 1 : SampleRate * 30;
        var result = new List<float>(capacity);
        await foreach (var block in StreamChannelAsync(path, channel, startSec, endSec, ct: ct))
            result.AddRange(block);
        return [.. result];
    }

    /// <summary>Streams one channel as 16 kHz mono float blocks of at most <paramref name="blockSamples"/> samples.</summary>
    public static async IAsyncEnumerable<float[]> StreamChannelAsync(string path, int channel, double startSec = 0, double? endSec = null,
        int blockSamples = SampleRate, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfNegative(startSec);
        if (endSec is { } end && end <= startSec) yield break;
        var info = await ProbeAsync(path, ct);
        if (channel >= info.Channels)
            throw new BadInputException($"{System.IO.Path.GetFileName(path)}: channel {channel} asked for, the file has {info.Channels}");

        // A small bounded queue between ffmpeg's pipe and the consumer: back-pressure keeps memory flat.
        var queue = Channel.CreateBounded<float[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pending = new List<float>(blockSamples);
        var decode = Task.Run(async () =>
        {
            try
            {
                await DecodeAsync(info, new DecodeRange(startSec, endSec, channel), 1, async (samples, token) =>
                {
                    for (var i = 0; i < samples.Length;)
                    {
                        var take = Math.Min(blockSamples - pending.Count, samples.Length - i);
                        pending.AddRange(samples.Slice(i, take).ToArray());
                        i += take;
                        if (pending.Count == blockSamples)
                        {
                            await queue.Writer.WriteAsync([.. pending], token);
                            pending.Clear();
                        }
                    }
                }, cts.Token);
                if (pending.Count > 0) await queue.Writer.WriteAsync([.. pending], cts.Token);
                queue.Writer.TryComplete();
            }
            catch (Exception e)
            {
                queue.Writer.TryComplete(e);
            }
        }, cts.Token);
        try
        {
            await foreach (var block in queue.Reader.ReadAllAsync(cts.Token)) yield return block;
        }
        finally
        {
            // A consumer that stops early cancels the decode; FFMpegCore then asks ffmpeg to quit through its stdin,
            // which fails with a broken pipe when ffmpeg has already finished. Nothing is left to stop then.
            try { await cts.CancelAsync(); }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is IOException or ObjectDisposedException or InvalidOperationException)) { }
            try { await decode; } catch (OperationCanceledException) { }
        }
        await decode;
    }

    internal readonly record struct DecodeRange(double StartSec, double? EndSec, int? Channel);

    /// <summary>
    /// Decodes to 16 kHz float, interleaved over <paramref name="outChannels"/> channels (all of the source's, or
    /// the one <see cref="DecodeRange.Channel"/>), handing each block to <paramref name="onBlock"/> as it arrives.
    /// The span is only valid during the call. Returns the number of frames decoded.
    /// </summary>
    internal static async Task<long> DecodeAsync(AudioSourceInfo info, DecodeRange range, int outChannels,
        Func<ReadOnlyMemory<float>, CancellationToken, ValueTask> onBlock, CancellationToken ct)
    {
        var sink = new PcmSink(outChannels, onBlock, ct);
        var args = FFMpegArguments
            .FromFileInput(info.Path, verifyExists: true, o =>
            {
                o.WithCustomArgument("-nostdin -nostats -loglevel error");
                if (range.StartSec > 0) o.WithCustomArgument(FormattableString.Invariant($"-ss {range.StartSec:0.######}"));
                if (range.EndSec is { } end) o.WithCustomArgument(FormattableString.Invariant($"-t {end - range.StartSec:0.######}"));
            })
            .OutputToPipe(sink, o =>
            {
                o.WithCustomArgument("-map 0:a:0 -vn -sn -dn");
                // aresample=async=1 fills gaps in the timestamps (frames a decoder drops, such as AMR comfort-noise
                // frames ffmpeg cannot decode, or corrupt MP3 frames) with silence, so later speech keeps its time.
                const string keepTime = "aresample=async=1:first_pts=0";
                if (range.Channel is { } c) o.WithCustomArgument($"-af pan=mono|c0=c{c},{keepTime}");
                else o.WithCustomArgument($"-af {keepTime} -ac {outChannels}");
                o.WithCustomArgument($"-ar {SampleRate} -c:a pcm_f32le").ForceFormat("f32le");
            })
            .CancellableThrough(ct);
        try
        {
            await args.ProcessAsynchronously(throwOnError: true);
        }
        catch (FFMpegException e) when (!ct.IsCancellationRequested && sink.Failure is null)
        {
            throw new BadInputException($"{System.IO.Path.GetFileName(info.Path)}: ffmpeg could not decode the audio ({FirstLine(e.Message)})", e);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("ffmpeg is not installed (Debian package ffmpeg; run scripts/setup.sh)", e);
        }
        if (sink.Failure is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        ct.ThrowIfCancellationRequested();
        return sink.Frames;
    }

    private static string FirstLine(string s)
    {
        var line = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? s;
        // ffmpeg prefixes messages with the full path; the file name is already in our message.
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && line.Contains('/')) line = line[(colon + 2)..];
        // FFMpegCore wraps ffmpeg's words in "(… )"; cut from the middle, the closing parenthesis is left unmatched
        // and our own "(…)" around it would end in "))".
        while (line.EndsWith(')') && line.Count(c => c == ')') > line.Count(c => c == '(')) line = line[..^1].TrimEnd();
        return line.Length > 160 ? line[..160] : line;
    }

    /// <summary>Reads ffmpeg's raw f32le output in fixed blocks; odd byte counts are carried over to the next read.</summary>
    private sealed class PcmSink(int channels, Func<ReadOnlyMemory<float>, CancellationToken, ValueTask> onBlock, CancellationToken ct) : IPipeSink
    {
        private const int BlockFrames = 8192;

        public long Frames { get; private set; }

        public Exception? Failure { get; private set; }

        public string GetFormat() => "f32le";

        public string GetStreamArguments() => "";

        public async Task ReadAsync(Stream inputStream, CancellationToken cancellationToken)
        {
            var frameBytes = 4 * channels;
            var buffer = ArrayPool<byte>.Shared.Rent(BlockFrames * frameBytes);
            var floats = ArrayPool<float>.Shared.Rent(BlockFrames * channels);
            try
            {
                var filled = 0;
                while (true)
                {
                    // FFMpegCore cancels its token as soon as ffmpeg exits, while the pipe may still hold the last
                    // blocks: read to end of stream and only stop early for our caller's cancellation.
                    var n = await inputStream.ReadAsync(buffer.AsMemory(filled, BlockFrames * frameBytes - filled), ct);
                    if (n == 0) break;
                    filled += n;
                    var whole = filled / frameBytes * frameBytes;
                    if (whole == 0) continue;
                    MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, whole)).CopyTo(floats);
                    Frames += whole / frameBytes;
                    await onBlock(floats.AsMemory(0, whole / 4), ct);
                    buffer.AsSpan(whole, filled - whole).CopyTo(buffer);
                    filled -= whole;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failure = e;
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                ArrayPool<float>.Shared.Return(floats);
            }
        }
    }
}
