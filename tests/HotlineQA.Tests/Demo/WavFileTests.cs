using System.Buffers.Binary;
using HotlineQA.Host.Demo;

namespace HotlineQA.Tests.Demo;

public class WavFileTests
{
    [Fact]
    public void Encode_ShouldWriteACanonicalPcmHeader_WhenStereo()
    {
        short[] samples = [1, -1, 1000, -1000, short.MaxValue, short.MinValue];
        var wav = WavFile.Encode(samples, channels: 2, sampleRate: 16000);
        Assert.Equal(44 + 12, wav.Length);
        Assert.Equal("RIFF"u8.ToArray(), wav[..4]);
        Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        Assert.Equal("WAVEfmt "u8.ToArray(), wav[8..16]);
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20)));          // PCM
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));          // channels
        Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));      // sample rate
        Assert.Equal(64000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(28)));      // byte rate
        Assert.Equal(4, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(32)));          // block align
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)));         // bits
        Assert.Equal("data"u8.ToArray(), wav[36..40]);
        Assert.Equal(12, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)));
        // Interleaved little-endian samples: left of frame 0 first.
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44)));
        Assert.Equal(-1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(46)));
        Assert.Equal(short.MinValue, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(54)));
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
