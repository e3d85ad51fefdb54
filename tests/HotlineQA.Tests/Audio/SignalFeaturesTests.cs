using HotlineQA.Audio;

namespace HotlineQA.Tests.Audio;

public class SignalFeaturesTests
{
    private static float[] Tone(double hz, double amplitude, int n = 1024, double harmonics = 0) =>
        Enumerable.Range(0, n).Select(i =>
        {
            var t = i / 16000.0;
            return (float)(amplitude * (Math.Sin(2 * Math.PI * hz * t) + harmonics * Math.Sin(4 * Math.PI * hz * t) + harmonics * Math.Sin(6 * Math.PI * hz * t)));
        }).ToArray();

    [Theory]
    [InlineData(85)]
    [InlineData(120)]
    [InlineData(210)]
    [InlineData(333)]
    public void Pitch_ShouldFindTheFundamental_WhenVoiceLikeHarmonicSignal(double hz)
    {
        var pitch = SignalFeatures.Pitch(Tone(hz, 0.3, harmonics: 0.7), new float[512]);

        Assert.InRange(pitch, hz * 0.98, hz * 1.02);
    }

    [Fact]
    public void Pitch_ShouldBeZero_WhenSignalIsNoise()
    {
        var rng = new Random(3);
        var noise = Enumerable.Range(0, 1024).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();

        Assert.Equal(0, SignalFeatures.Pitch(noise, new float[512]));
    }

    [Fact]
    public void MeanSquare_ShouldGiveSineLoudness_WhenFullPeriods()
    {
        // A sine of amplitude 0.5 has RMS 0.5/√2: −9.03 dBFS.
        var db = SignalFeatures.ToDbfs(SignalFeatures.MeanSquare(Tone(250, 0.5, 1024)));

        Assert.Equal(-9.03, db, 1);
    }

    [Fact]
    public void ToDbfs_ShouldFloor_WhenDigitalSilence()
    {
        Assert.Equal(-120, SignalFeatures.ToDbfs(0));
    }

    [Fact]
    public void ChunkedFloats_ShouldKeepEveryValue_WhenGrowingPastOneChunk()
    {
        var list = new ChunkedFloats();
        for (var i = 0; i < 200_000; i++) list.Add(i);

        Assert.Equal(200_000, list.Count);
        Assert.Equal(65_536f, list[65_536]);
        Assert.Equal(199_999f, list[199_999]);
    }
}
