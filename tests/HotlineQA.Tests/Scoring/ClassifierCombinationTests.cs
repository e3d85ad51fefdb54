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
    private const string Close = "a: 好的,感谢您的来电,再见。";
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

    private sealed class ProbabilityClassifier(Func<string, Dictionary<string, double>> table) : IUtteranceClassifier
    {
        public UtteranceClassification Classify(UtteranceContext utterance)
        {
            var probs = table(utterance.Text);
            var all = UtteranceLabels.All.ToDictionary(l => l, l => probs.GetValueOrDefault(l));
            var top = all.MaxBy(kv => kv.Value);
            return new UtteranceClassification(utterance.Text, top.Key, top.Value, all);
        }
    }

    private static ScoreResult ScoreWith(Func<string, Dictionary<string, double>> apologyTurn, params string[] lines) =>
        new RubricScorer(Rubric, new ProbabilityClassifier(t => t.Contains("不好意思") || t.Contains("抱歉") ? apologyTurn(t)
            : new() { [UtteranceLabels.Neutral] = 1 })).Score(Call(lines));

    [Fact]
    public void Score_ShouldFirePerfunctorySignal_WhenAnApologyIsReadAsBlameOrFlat()
    {
        // Rubric 2026.19: for a turn that apologises, P(perfunctory) + P(blame_shifting) is the probability that the apology
        // was perfunctory (an apology paired with blame is one, RUBRIC.md APOLOGY). Neither alone reaches 0.5 here.
        var lines = new[] { Open, Complaint, "a: 不好意思,派单都是系统自动排的,我们这边也看不到。", "c: 那我怎么办?", "a: 我马上帮您加急处理,今天下午给您回电。", "a: 感谢您的来电,再见。" };
        var split = ScoreWith(_ => new() { [UtteranceLabels.PerfunctoryApology] = 0.3, [UtteranceLabels.BlameShifting] = 0.3, [UtteranceLabels.SincereApology] = 0.4 }, lines);
        Assert.Equal("fire", Assert.Single(split.Findings, f => f.Item == "PERFUNCTORY_APOLOGY").Result);
        var sincere = ScoreWith(_ => new() { [UtteranceLabels.PerfunctoryApology] = 0.2, [UtteranceLabels.BlameShifting] = 0.2, [UtteranceLabels.SincereApology] = 0.6 }, lines);
        Assert.DoesNotContain(sincere.Findings, f => f.Item == "PERFUNCTORY_APOLOGY");
    }

    [Fact]
    public void Score_ShouldLeaveThePerfunctorySignalToTheModel_WhenOneIsLoaded()
    {
        // The phrase rules read this apology as perfunctory (a rule as the excuse, nothing done): APOLOGY fails either way.
        // RUBRIC.md E defines the signal by the classifier's probability, so a classifier that reads it as sincere keeps the
        // signal down; without a classifier the rules' reading raises it.
        var lines = new[] { Open, Complaint, "a: 抱歉,公司规定就是这样,我们也没有办法。", "c: 那怎么办?", "a: 您再等等吧。", Close };
        var rulesOnly = new RubricScorer(Rubric).Score(Call(lines));
        Assert.Equal("fire", Assert.Single(rulesOnly.Findings, f => f.Item == "PERFUNCTORY_APOLOGY").Result);
        var withModel = ScoreWith(_ => new() { [UtteranceLabels.SincereApology] = 0.9, [UtteranceLabels.PerfunctoryApology] = 0.1 }, lines);
        Assert.DoesNotContain(withModel.Findings, f => f.Item == "PERFUNCTORY_APOLOGY");
        Assert.Equal("fail", withModel.Findings.Single(f => f.Item == "APOLOGY").Result);
    }

    [Fact]
    public void Score_ShouldNotFirePerfunctorySignal_WhenTheApologyOwnsTheFault()
    {
        // Rubric 2026.25: "是我们的差错,真的很抱歉" owns the fault — the opposite of the excuse a perfunctory apology is paired
        // with — even when the classifier reads it as flat; the same probability on an apology that owns nothing fires.
        static Dictionary<string, double> Flat(string _) => new() { [UtteranceLabels.PerfunctoryApology] = 0.9, [UtteranceLabels.SincereApology] = 0.1 };
        var owned = ScoreWith(Flat, Open, Complaint, "a: 感谢您的耐心等待。查到了,是我们发货的时候拿错了型号,是我们的差错,真的很抱歉。", "c: 那怎么办?", "a: 我马上给您补发正确的型号,明天上午送到。", Close);
        Assert.DoesNotContain(owned.Findings, f => f.Item == "PERFUNCTORY_APOLOGY");
        var notOwned = ScoreWith(Flat, Open, Complaint, "a: 感谢您的耐心等待。查到了,发货的时候型号不对,真的很抱歉。", "c: 那怎么办?", "a: 我马上给您补发正确的型号,明天上午送到。", Close);
        Assert.Equal("fire", Assert.Single(notOwned.Findings, f => f.Item == "PERFUNCTORY_APOLOGY").Result);
        // "不是我们的问题" owns nothing.
        var denied = ScoreWith(Flat, Open, Complaint, "a: 不好意思,这个不是我们的问题。", "c: 那怎么办?", "a: 您再等等吧。", Close);
        Assert.Equal("fire", Assert.Single(denied.Findings, f => f.Item == "PERFUNCTORY_APOLOGY").Result);
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
