using HotlineQA.Classification;
using HotlineQA.Scoring;
using static HotlineQA.Tests.Scoring.CallBuilder;

namespace HotlineQA.Tests.Scoring;

/// <summary>
/// How the scorer combines the utterance classifier with the rules. The real ML.NET model is built on another branch;
/// this fixed-table classifier stands in for it so the combination rules themselves are checked.
/// </summary>
public class ClassifierCombinationTests
{
    private sealed class TableClassifier(Func<string, (string Label, double P)> table) : IUtteranceClassifier
    {
        public UtteranceClassification Classify(UtteranceContext utterance)
        {
            var (label, p) = table(utterance.Text);
            var probs = UtteranceLabels.All.ToDictionary(l => l, l => l == label ? p : (1 - p) / (UtteranceLabels.All.Count - 1));
            return new UtteranceClassification(utterance.Text, label, p, probs);
        }
    }

    private const string Open = "a: 您好,请问有什么可以帮您?";
    private const string Complaint = "c: 你们又把我的话费扣错了,这已经是第二次了!";
    private static readonly Rubric Rubric = RubricLoader.LoadDefault();

    [Fact]
    public void Score_ShouldFirePerfunctorySignal_WhenTheModelIsSureAnApologyIsPerfunctory()
    {
        // By the rules this apology is sincere (help follows), so only the model can raise the signal.
        var call = Call(Open, Complaint, "a: 不好意思啊。我帮您查一下。", "a: 已经帮您退回了。谢谢您的理解。", "a: 感谢您的来电,再见。");
        Assert.DoesNotContain(new RubricScorer(Rubric).Score(call).Findings, f => f.Item == "PERFUNCTORY_APOLOGY");
        var model = new TableClassifier(t => t.Contains("不好意思") ? (UtteranceLabels.PerfunctoryApology, 0.95) : (UtteranceLabels.Neutral, 0.9));
        var r = new RubricScorer(Rubric, model).Score(call);
        var signal = Assert.Single(r.Findings, f => f.Item == "PERFUNCTORY_APOLOGY");
        Assert.Equal("fire", signal.Result);
        Assert.Contains(r.FlagReasons, x => x == "PERFUNCTORY_APOLOGY");
    }

    [Fact]
    public void Score_ShouldUseModelProbabilityAsConfidence_WhenRulesAndModelDisagree()
    {
        var call = Call(Open, Complaint, "a: 这是系统出故障了,我也没办法。", "a: 感谢您的来电,再见。");
        var rulesOnly = new RubricScorer(Rubric).Score(call).Findings.Single(f => f.Item == "BLAME_SHIFTING");
        var agreeing = new RubricScorer(Rubric, new TableClassifier(_ => (UtteranceLabels.BlameShifting, 0.97))).Score(call)
            .Findings.Single(f => f.Item == "BLAME_SHIFTING");
        var disagreeing = new RubricScorer(Rubric, new TableClassifier(_ => (UtteranceLabels.Neutral, 0.99))).Score(call)
            .Findings.Single(f => f.Item == "BLAME_SHIFTING");
        Assert.Equal("fail", rulesOnly.Result);
        Assert.Equal("fail", agreeing.Result);
        Assert.Equal("fail", disagreeing.Result);
        Assert.True(agreeing.Confidence > disagreeing.Confidence);
        // Rule says blame, the model strongly says neutral: the finding goes to "needs listening" and stops moving the score.
        Assert.True(disagreeing.NeedsListening);
    }

    [Fact]
    public void Score_ShouldNotMoveTheScore_WhenOnlyTheModelSeesBlame()
    {
        var call = Call(Open, "c: 我想改一下套餐。", "a: 请问您想改成哪种套餐?", "a: 嗯这个情况比较复杂。", "a: 感谢您的来电,再见。");
        var baseline = new RubricScorer(Rubric).Score(call);
        var model = new TableClassifier(t => t.Contains("复杂") ? (UtteranceLabels.BlameShifting, 0.95) : (UtteranceLabels.Neutral, 0.9));
        var r = new RubricScorer(Rubric, model).Score(call);
        var blame = r.Findings.Single(f => f.Item == "BLAME_SHIFTING");
        Assert.Equal("fail", blame.Result);
        Assert.True(blame.NeedsListening);
        Assert.Equal(baseline.Score, r.Score);
    }
}
