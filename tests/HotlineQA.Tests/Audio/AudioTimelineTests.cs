using HotlineQA.Audio;

namespace HotlineQA.Tests.Audio;

public class AudioTimelineTests
{
    private static SpeechSegment S(string who, double start, double end) => new() { Speaker = who, Start = start, End = end };

    private static readonly SpeechSegment[] Call =
    [
        S("agent", 0.5, 4.0),
        S("customer", 3.0, 8.0),   // customer talks over the agent's end: 3.0–4.0
        S("agent", 20.0, 30.0),
        S("customer", 21.0, 21.4), // a backchannel inside the agent's turn: 0.4 s
        S("agent", 31.0, 32.0),
    ];

    [Fact]
    public void Silences_ShouldListGapsWhereNobodySpeaks_WhenIncludingLeadInAndTail()
    {
        var silences = AudioTimeline.Silences(Call, 40, 1.0);

        Assert.Equal([new Silence(8.0, 20.0), new Silence(30.0, 31.0), new Silence(32.0, 40.0)], silences);
    }

    [Fact]
    public void Silences_ShouldIncludeLeadIn_WhenLongEnough()
    {
        Assert.Equal([new Silence(0, 0.5)], AudioTimeline.Silences([S("agent", 0.5, 10)], 10, 0.5));
    }

    [Fact]
    public void Overlaps_ShouldNameWhoStartedSecond_WhenBothSidesTalk()
    {
        var overlaps = AudioTimeline.Overlaps(Call, 0.25);

        Assert.Equal([new Overlap(3.0, 4.0, "customer"), new Overlap(21.0, 21.4, "customer")], overlaps);
    }

    [Fact]
    public void Overlaps_ShouldIgnoreTouchingSegments_WhenOneEndsAsTheOtherStarts()
    {
        Assert.Empty(AudioTimeline.Overlaps([S("agent", 0, 2), S("customer", 2, 4)], 0));
    }

    [Fact]
    public void Overlaps_ShouldSkipShortOnes_WhenBelowMinimum()
    {
        Assert.Equal([new Overlap(3.0, 4.0, "customer")], AudioTimeline.Overlaps(Call, 0.5));
    }

    [Fact]
    public void TalkRatio_ShouldBeShareOfTheCall_WhenPerSpeaker()
    {
        var ratio = AudioTimeline.TalkRatio(Call, ["agent", "customer"], 40);

        Assert.Equal((3.5 + 10 + 1) / 40, ratio["agent"], 4);
        Assert.Equal((5 + 0.4) / 40, ratio["customer"], 4);
    }

    [Fact]
    public void SilenceSec_ShouldCountEveryGap_WhenShorterThanReportingMinimum()
    {
        Assert.Equal(0.5 + 12 + 1 + 8, AudioTimeline.SilenceSec(Call, 40), 6);
    }
}
