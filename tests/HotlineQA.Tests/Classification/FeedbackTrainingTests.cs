using HotlineQA.Classification;

namespace HotlineQA.Tests.Classification;

/// <summary>Trains once with a few reviewer examples; the built-in model (trained without them) is the "before".</summary>
public sealed class FeedbackFixture : IDisposable
{
    public const string Jsonl = """
        {"text":"不好意思哈 这个真没辙 您多担待","label":"perfunctory_apology","source":"review 1"}
        {"text":"抱歉抱歉 我这就给您重新下单 今晚就发","label":"sincere_apology","source":"review 2"}
        {"text":"那是代理商搞的鬼 跟我们没关系","label":"blame_shifting","source":"review 3"}
        {"text":"您多担待,这个确实办不了","label":"perfunctory_apology","source":"review 4"}
        {"text":"这事真不赖我们,是配送那头掉链子","label":"blame_shifting","source":"review 5"}
        {"text":"心里肯定不好受,我明白的","label":"empathy","source":"review 6"}
        """;

    public FeedbackFixture()
    {
        File.WriteAllText(FeedbackFile, Jsonl);
        Feedback = TrainingData.ReadFeedback(FeedbackFile);
        Data = ClassifierTraining.BuildDataset(TestPaths.Shared("data/stc3/stc3_helpdesk_dev.json"), Feedback);
        After = ClassifierTraining.Train(Data.Train, ClassifierTrainerKind.LbfgsMaximumEntropy);
    }

    public string FeedbackFile { get; } = Path.Combine(Path.GetTempPath(), $"hotlineqa-feedback-{Guid.NewGuid():N}.jsonl");
    public IReadOnlyList<LabelledUtterance> Feedback { get; }
    public ClassifierDataset Data { get; }
    public MlNetUtteranceClassifier After { get; }

    public void Dispose() => File.Delete(FeedbackFile);
}

public class FeedbackTrainingTests(FeedbackFixture f) : IClassFixture<FeedbackFixture>
{
    [Fact]
    public void Train_ShouldLearnReviewerExamples_WhenFeedbackIsAdded()
    {
        var before = ClassifierEvaluation.Evaluate("feedback", MlNetUtteranceClassifier.Load(null), f.Feedback);
        var after = ClassifierEvaluation.Evaluate("feedback", f.After, f.Feedback);
        Assert.True(before.Accuracy < 1.0, "the examples were chosen because the built-in model gets some wrong:\n" + before.Format());
        Assert.True(after.Accuracy > before.Accuracy, before.Format() + after.Format());
        Assert.Contains(f.Data.Train, u => u.Source == "feedback");
        Assert.All(f.Data.FeedbackValidation, u => Assert.DoesNotContain(f.Data.Train, t => t.Text == u.Text));
    }

    [Fact]
    public void Train_ShouldKeepValidationQuality_WhenFeedbackIsAdded()
    {
        var before = ClassifierEvaluation.Evaluate("validation", MlNetUtteranceClassifier.Load(null), f.Data.Validation);
        var after = ClassifierEvaluation.Evaluate("validation", f.After, f.Data.Validation);
        Assert.True(after.MacroF1 >= before.MacroF1 - 0.01, before.Format() + after.Format());
    }

    [Fact]
    public void Format_ShouldPrintPerClassMetricsAndConfusion_WhenEvaluated()
    {
        var text = ClassifierEvaluation.Evaluate("feedback", f.After, f.Feedback).Format();
        Assert.StartsWith("feedback: 6 utterances, macro-F1 ", text);
        foreach (var label in UtteranceLabels.All) Assert.Equal(2, text.Split('\n').Count(l => l.TrimStart().StartsWith(label + " ", StringComparison.Ordinal)));
        Assert.Contains("precision", text);
        Assert.Contains("confusion", text);
    }
}
