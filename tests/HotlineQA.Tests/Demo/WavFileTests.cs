using System.Buffers.Binary;
using HotlineQA.Host.Demo;
using NAudio.Wave;

namespace HotlineQA.Tests.Demo;

public class WavFileTests
{
    [Fact]
    public void Encode_ShouldWriteAPlayable16BitPcmWav_WhenStereo()
    {
        short[] samples = [1, -1, 1000, -1000, short.MaxValue, short.MinValue];
        var wav = WavFile.Encode(samples, channels: 2, sampleRate: 16000);
        Assert.Equal("RIFF"u8.ToArray(), wav[..4]);
        Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        Assert.Equal("WAVE"u8.ToArray(), wav[8..12]);
        // Read back as a WAV file: the format and the interleaved samples (left of frame 0 first) are what went in.
        using var reader = new WaveFileReader(new MemoryStream(wav));
        Assert.Equal(WaveFormatEncoding.Pcm, reader.WaveFormat.Encoding);
        Assert.Equal(2, reader.WaveFormat.Channels);
        Assert.Equal(16000, reader.WaveFormat.SampleRate);
        Assert.Equal(64000, reader.WaveFormat.AverageBytesPerSecond);
        Assert.Equal(4, reader.WaveFormat.BlockAlign);
        Assert.Equal(16, reader.WaveFormat.BitsPerSample);
        Assert.Equal(12, reader.Length);
        Assert.Equal(3, reader.SampleCount);
        var data = new byte[12];
        Assert.Equal(12, reader.Read(data, 0, 12));
        var back = new short[6];
        Buffer.BlockCopy(data, 0, back, 0, 12);
        Assert.Equal(samples, back);
        // The data chunk ends the file: nothing after the samples.
        Assert.Equal(data, wav[^12..]);
    }

    [Fact]
    public void Encode_ShouldWriteAnEmptyDataChunk_WhenNoSamples()
    {
        var wav = WavFile.Encode([], channels: 1, sampleRate: 8000);
        using var reader = new WaveFileReader(new MemoryStream(wav));
        Assert.Equal(0, reader.Length);
        Assert.Equal(8000, reader.WaveFormat.SampleRate);
        Assert.Equal(1, reader.WaveFormat.Channels);
    }

    [Fact]
    public void Trim_ShouldCutLeadingAndTrailingSilenceOnly_WhenClipPadded()
    {
        short[] clip = [0, 3, -50, 400, 0, 0, -900, 20, 0];
        Assert.Equal([400, 0, 0, -900], SpeechRenderer.Trim(clip));
        Assert.Empty(SpeechRenderer.Trim([0, 10, -10]));
    }

    [Fact]
    public void Scripts_ShouldCoverTheRubricBehaviours_WhenListed()
    {
        var all = SampleCallScripts.All;
        Assert.True(all.Count >= 10);
        Assert.Equal(all.Count, all.Select(s => s.Name).Distinct().Count());
        Assert.All(all, s => Assert.Contains(s.Lines, l => l.Speaker == "agent"));
        Assert.All(all.SelectMany(s => s.Lines), l => Assert.True(l.Speaker is "agent" or "customer"));
        string Text(string name) => string.Concat(all.Single(s => s.Name == name).Lines.Select(l => l.Text));
        Assert.Contains("这是公司规定", Text("02-perfunctory-apology"));
        Assert.Contains("系统又出问题了", Text("03-blame-shifting"));
        Assert.Contains("不归我们管", Text("04-forbidden-phrase"));
        Assert.Contains("12315", Text("08-escalation-12315"));
        Assert.Contains("保证", Text("10-overpromise"));
        Assert.Contains("我将挂断电话", Text("07-harassment"));
        Assert.Equal(3, all.Single(s => s.Name == "09-interrupting-agent").Lines.Count(l => l.Gap < -1.0));
    }
}
