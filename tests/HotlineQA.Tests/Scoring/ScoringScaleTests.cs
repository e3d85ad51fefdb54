using HotlineQA.Scoring;

namespace HotlineQA.Tests.Scoring;

/// <summary>Scoring time grows linearly with the transcript's length (it grew quadratically: 20k utterances 3.5 s, 200k 357 s).
/// Figures come from bench `scoring`; this test only guards the shape with a generous bound. It times the scoring thread's
/// CPU, not the wall clock: CI ran it beside the integration tests on 2 cores and the wall clock gave 47× once.</summary>
public class ScoringScaleTests
{
    [Fact]
    public void Score_ShouldTakeAboutTenTimesLonger_WhenTheTranscriptIsTenTimesLonger()
    {
        var calls = DevSet.Load().Select(c => c.Transcript).ToList();
        var scorer = new RubricScorer();
        scorer.Score(LongTranscript.Chain(calls, 1_000));   // JIT warm-up
        var small = LongTranscript.Chain(calls, 10_000);
        var large = LongTranscript.Chain(calls, 100_000);
        var tSmall = Best(() => scorer.Score(small));
        var tLarge = Best(() => scorer.Score(large));
        // Linear is 10×; quadratic would be 100×. 30× leaves room for a loaded, shared machine and cache effects.
        Assert.True(tLarge <= 30 * tSmall, $"10k utterances {tSmall:0.000} s, 100k {tLarge:0.000} s: {tLarge / tSmall:0.0}× for 10× the length");
        var result = scorer.Score(large);
        Assert.Equal(20, result.Findings.Count(f => f.Result != Results.Fire));
    }

    private static double Best(Action run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
            best = Math.Min(best, ThreadCpuClock.Measure(run));
        return best;
    }
}
