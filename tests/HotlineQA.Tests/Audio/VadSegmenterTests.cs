using HotlineQA.Audio;

namespace HotlineQA.Tests.Audio;

/// <summary>The probability-to-segment logic on hand-made probability sequences (window = 512 samples = 32 ms).</summary>
public class VadSegmenterTests
{
    private const int Window = 512;

    private static List<(long Start, long End)> Run(VadOptions options, params (float P, int Windows)[] runs)
    {
        var seg = new VadSegmenter(options, 16000, Window);
        long n = 0;
        foreach (var (p, count) in runs)
            for (var i = 0; i < count; i++, n++) seg.Push(p);
        return seg.Finish(n * Window);
    }

    [Fact]
    public void Finish_ShouldPadOneSegment_WhenSpeechSitsBetweenSilences()
    {
        var segments = Run(new VadOptions(), (0.01f, 20), (0.9f, 30), (0.01f, 20));

        // Start at the first speech window minus 30 ms of pad; end where probability fell, plus the pad.
        Assert.Equal([(20 * Window - 480, 50 * Window + 480)], segments);
    }

    [Fact]
    public void Finish_ShouldDropSegment_WhenShorterThanMinSpeech()
    {
        // 5 windows = 160 ms < 250 ms.
        var segments = Run(new VadOptions(), (0.01f, 20), (0.9f, 5), (0.01f, 20));

        Assert.Empty(segments);
    }

    [Fact]
    public void Finish_ShouldBridgeShortDip_WhenDipIsShorterThanMinSilence()
    {
        // 2 windows = 64 ms below the negative threshold: not a pause.
        var segments = Run(new VadOptions(), (0.9f, 20), (0.1f, 2), (0.9f, 20), (0.01f, 20));

        Assert.Single(segments);
    }

    [Fact]
    public void Finish_ShouldSplit_WhenPauseIsLongerThanMinSilence()
    {
        var segments = Run(new VadOptions(), (0.9f, 20), (0.1f, 10), (0.9f, 20), (0.01f, 20));

        Assert.Equal(2, segments.Count);
        Assert.True(segments[0].End <= segments[1].Start);
    }

    [Fact]
    public void Push_ShouldKeepSpeechGoing_WhenProbabilityHoversBetweenThresholds()
    {
        // 0.4 is under the 0.5 start threshold but above the 0.35 end threshold: hysteresis keeps the segment open.
        var segments = Run(new VadOptions(), (0.01f, 10), (0.9f, 10), (0.4f, 30), (0.01f, 20));

        Assert.Equal([(10 * Window - 480, 50 * Window + 480)], segments);
    }

    [Fact]
    public void Finish_ShouldCloseAtEndOfAudio_WhenSpeechRunsToTheEnd()
    {
        var segments = Run(new VadOptions(), (0.01f, 10), (0.9f, 40));

        Assert.Equal([(10 * Window - 480, 50 * Window)], segments);
    }

    [Fact]
    public void Finish_ShouldSplitTheGap_WhenGapIsShorterThanTwoPads()
    {
        var options = new VadOptions { SpeechPadMs = 200, MinSilenceMs = 100 };

        var segments = Run(options, (0.9f, 20), (0.01f, 6), (0.9f, 20), (0.01f, 20));

        Assert.Equal(2, segments.Count);
        Assert.Equal(segments[0].End, segments[1].Start);
    }
}
