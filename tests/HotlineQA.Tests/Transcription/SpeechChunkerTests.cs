using HotlineQA.Transcription;

namespace HotlineQA.Tests.Transcription;

public sealed class SpeechChunkerTests
{
    [Fact]
    public void Plan_ShouldGlueRegionsUpTo30sWithShortGaps_WhenRegionsAreSmall()
    {
        var chunks = SpeechChunker.Plan([(0, 10), (20, 30), (31, 40), (100, 110)], gapSec: 0.3);

        Assert.Equal(2, chunks.Count);
        Assert.Equal([(0.0, 10.0, 0.0), (20.0, 30.0, 10.3), (31.0, 40.0, 20.6)], chunks[0].Pieces.Select(p => (p.CallStart, p.CallEnd, p.Offset)));
        Assert.Equal(29.6, chunks[0].Duration, 6);
        Assert.Equal([(100.0, 110.0, 0.0)], chunks[1].Pieces.Select(p => (p.CallStart, p.CallEnd, p.Offset)));
    }

    [Fact]
    public void Plan_ShouldNeverExceed30s_WhenARegionIsLonger()
    {
        var chunks = SpeechChunker.Plan([(5, 100)], gapSec: 0.3);

        Assert.All(chunks, c => Assert.True(c.Duration <= 30.0 + 1e-9));
        Assert.Equal(95.0, chunks.Sum(c => c.Duration), 6);
        Assert.Equal([5.0, 35.0, 65.0, 95.0], chunks.Select(c => c.Pieces[0].CallStart));
    }

    [Fact]
    public void ToCallTime_ShouldMapIntoTheRightRegion_WhenAChunkHoldsSeveral()
    {
        var chunk = SpeechChunker.Plan([(10, 12), (50, 55)], gapSec: 0.5).Single();

        Assert.Equal(10.0, chunk.ToCallTime(0), 6);
        Assert.Equal(11.5, chunk.ToCallTime(1.5), 6);
        Assert.Equal(12.0, chunk.ToCallTime(2.3), 6); // in the gap: end of the first region
        Assert.Equal(51.0, chunk.ToCallTime(3.5), 6);
    }

    [Fact]
    public void Cut_ShouldCopyOnlyTheRegionsAudio_WhenBuildingTheWindow()
    {
        var channel = Enumerable.Range(0, 100).Select(i => (float)i).ToArray(); // 10 Hz "audio" for readability
        var chunk = SpeechChunker.Plan([(1, 2), (5, 6)], gapSec: 0.2).Single();

        var x = chunk.Cut(channel, 10);

        Assert.Equal([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 0, 0, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59], x);
    }

    [Fact]
    public void Plan_ShouldReturnNothing_WhenThereIsNoSpeech()
    {
        Assert.Empty(SpeechChunker.Plan([], 0.3));
        Assert.Empty(SpeechChunker.Plan([(5, 5)], 0.3));
    }
}
