using System.Numerics.Tensors;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.TestSupport.Audio;

namespace HotlineQA.IntegrationTests.Audio;

/// <summary>The PCM reader the transcription engine uses: right channel, right time range, 16 kHz.</summary>
public sealed class AudioDecoderTests(AudioFixture fx) : IClassFixture<AudioFixture>
{
    private static string Stereo => TestPaths.Shared("data/audio/faster_whisper/stereo_diarization.wav");

    [Fact]
    public async Task ReadChannelAsync_ShouldReturnThatChannelAt16k_WhenWholeFileAsked()
    {
        var left = await AudioDecoder.ReadChannelAsync(Stereo, 0, 0, null);
        var right = await AudioDecoder.ReadChannelAsync(Stereo, 1, 0, null);
        var reference = await ChannelByCliAsync(Stereo, 1);

        Assert.Equal(5 * AudioDecoder.SampleRate, left.Length);
        Assert.Equal(reference.Length, right.Length);
        Assert.True(TensorPrimitives.Distance(right, reference) < 1e-3, "right channel differs from ffmpeg's own channel split");
        Assert.True(TensorPrimitives.Distance(left, reference) > 1, "left channel is the same as the right one");
    }

    [Fact]
    public async Task ReadChannelAsync_ShouldMatchTheSameSpanOfTheWholeDecode_WhenRangeAsked()
    {
        var whole = await AudioDecoder.ReadChannelAsync(Stereo, 0, 0, null);

        var part = await AudioDecoder.ReadChannelAsync(Stereo, 0, 1.25, 3.5);

        Assert.Equal((int)(2.25 * AudioDecoder.SampleRate), part.Length);
        var expected = whole.AsSpan((int)(1.25 * AudioDecoder.SampleRate), part.Length);
        var cos = TensorPrimitives.CosineSimilarity(expected, part);
        Assert.True(cos > 0.999, $"cosine similarity {cos}");
    }

    [Fact]
    public async Task ReadChannelAsync_ShouldResampleTo16k_WhenSourceIs8k()
    {
        var x = await AudioDecoder.ReadChannelAsync(TestPaths.Shared("data/silero-vad/aepyx_8k.wav"), 0, 10, 12);

        Assert.Equal(2 * AudioDecoder.SampleRate, x.Length);
        Assert.True(Math.Abs(TensorPrimitives.MaxMagnitude(x)) > 0.01f);
    }

    [Fact]
    public async Task StreamChannelAsync_ShouldDeliverBoundedBlocks_WhenReadingLongFile()
    {
        var total = 0;
        var largest = 0;
        await foreach (var block in AudioDecoder.StreamChannelAsync(TestPaths.Shared("data/silero-vad/test.wav"), 0, blockSamples: 4000))
        {
            total += block.Length;
            largest = Math.Max(largest, block.Length);
        }

        Assert.Equal(60 * AudioDecoder.SampleRate, total);
        Assert.Equal(4000, largest);
    }

    [Fact]
    public async Task StreamChannelAsync_ShouldStopQuietly_WhenTheConsumerStopsAfterFfmpegHasFinished()
    {
        // The whole 5 s channel fits in the queue and the pipe, so ffmpeg is done before the consumer stops; its
        // early stop must not surface FFMpegCore's broken pipe (this made a transcription fail at random).
        for (var i = 0; i < 10; i++)
        {
            var blocks = 0;
            await foreach (var block in AudioDecoder.StreamChannelAsync(Stereo, 1, blockSamples: 16000))
            {
                if (blocks++ == 0) await Task.Delay(300);
                else break;
            }
            Assert.Equal(2, blocks);
        }
    }

    [Fact]
    public async Task ReadChannelAsync_ShouldRejectWithReason_WhenChannelDoesNotExist()
    {
        var e = await Assert.ThrowsAsync<BadInputException>(() => AudioDecoder.ReadChannelAsync(TestPaths.Shared("data/silero-vad/test.wav"), 1, 0, 1));

        Assert.Contains("test.wav", e.Message);
        Assert.Contains("channel 1", e.Message);
    }

    [Fact]
    public async Task ProbeAsync_ShouldDescribeTheStream_WhenStereoWav()
    {
        var info = await AudioDecoder.ProbeAsync(Stereo);

        Assert.Equal(2, info.Channels);
        Assert.Equal(16000, info.SampleRate);
        Assert.Equal(5.0, info.DurationSec, 2);
        Assert.Equal("pcm_s16le", info.Codec);
        Assert.NotNull(fx.Analyzer);
    }

    private static async Task<float[]> ChannelByCliAsync(string path, int channel) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(await AudioTools.RunAsync("ffmpeg",
            ["-nostdin", "-loglevel", "error", "-i", path, "-af", $"pan=mono|c0=c{channel}", "-ar", "16000", "-f", "f32le", "-"])).ToArray();
}
