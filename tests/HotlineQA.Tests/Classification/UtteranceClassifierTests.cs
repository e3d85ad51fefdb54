using HotlineQA.Classification;
using HotlineQA.Common;

namespace HotlineQA.Tests.Classification;

/// <summary>Trains the model once for the class (the one costly step) and compares it with the committed built-in model.</summary>
public sealed class ClassifierFixture
{
    public ClassifierFixture()
    {
        Data = ClassifierTraining.BuildDataset(TestPaths.Shared("data/stc3/stc3_helpdesk_dev.json"));
        BuiltIn = MlNetUtteranceClassifier.Load(null);
        Retrained = ClassifierTraining.Train(Data.Train, ClassifierTrainerKind.LbfgsMaximumEntropy);
    }

    public ClassifierDataset Data { get; }
    public MlNetUtteranceClassifier BuiltIn { get; }
    public MlNetUtteranceClassifier Retrained { get; }
}

public class UtteranceClassifierTests(ClassifierFixture f) : IClassFixture<ClassifierFixture>
{
    [Fact]
    public void Train_ShouldReproduceBuiltInModel_WhenTrainedAgainFromRepository()
    {
        // Deterministic training: a second run (here, in another process than the one that wrote the committed model)
        // gives the same metrics and the same probabilities.
        var a = ClassifierEvaluation.Evaluate("validation", f.BuiltIn, f.Data.Validation);
        var b = ClassifierEvaluation.Evaluate("validation", f.Retrained, f.Data.Validation);
        Assert.Equal(a.MacroF1, b.MacroF1, 12);
        Assert.Equal(a.Confusion, b.Confusion);
        foreach (var u in f.Data.RealTurns.Take(50))
            Assert.Equal(f.BuiltIn.Classify(u.Context).Probability, f.Retrained.Classify(u.Context).Probability, 5);
    }

    [Fact]
    public void Evaluate_ShouldMeetTheTarget_WhenBuiltInModelRunsOnHeldOutUtterancesNeverTrainedOn()
    {
        // tests/data/classifier-heldout.jsonl: 200 utterances written by a writer who never saw the training data (and the
        // training writers never saw these); never read by training. Measured when the model was committed: macro-F1 0.852.
        var heldOut = TrainingData.ReadFeedback(Path.Combine(TestPaths.RepoRoot, "tests", "data", "classifier-heldout.jsonl"));
        Assert.Equal(200, heldOut.Count);
        // Independent writing: stock lines (感谢您的来电…, a bare 实在抱歉 whose label comes from the next turn) recur, but
        // no held-out example appears in training with the same neighbouring turns.
        var shared = heldOut.Where(h => f.Data.Train.Any(t => t.Text == h.Text && t.NextAgentText == h.NextAgentText && t.PreviousCustomerText == h.PreviousCustomerText))
            .Select(h => h.Text).ToList();
        Assert.True(shared.Count <= 2, string.Join(" | ", shared));
        var e = ClassifierEvaluation.Evaluate("held out", f.BuiltIn, heldOut);
        Assert.True(e.MacroF1 >= 0.83, e.Format());
    }

    [Fact]
    public void Evaluate_ShouldMeetMeasuredFloor_WhenBuiltInModelRunsOnValidationAndRealTurns()
    {
        // Measured when the model was committed (2026-12-06, real turns held out by dialogue, real weight 12): validation
        // macro-F1 0.985, real helpdesk turns 0.852 (accuracy 0.898) (docs/classifier.md). Target on real turns: 0.85.
        var validation = ClassifierEvaluation.Evaluate("validation", f.BuiltIn, f.Data.Validation);
        var real = ClassifierEvaluation.Evaluate("real", f.BuiltIn, f.Data.RealTurns);
        Assert.True(validation.MacroF1 >= 0.96, validation.Format());
        Assert.True(real.MacroF1 >= 0.85, real.Format());
        Assert.True(real.Accuracy >= 0.87, real.Format());
    }

    [Theory]
    [InlineData("非常抱歉,按照规定这个需要审核,不过我现在就帮您提交加急申请,明天上午给您回电", UtteranceLabels.SincereApology)]
    [InlineData("非常抱歉,按照规定这个需要审核,我们也没有办法,请您谅解", UtteranceLabels.PerfunctoryApology)]
    [InlineData("今天我们系统又崩了,我也查不到,不是我的问题", UtteranceLabels.BlameShifting)]
    [InlineData("我在系统里查到您的快递已经到站了,今天下午会派送", UtteranceLabels.Neutral)]
    [InlineData("您别着急,孩子生病还遇上这种事,换谁都会着急", UtteranceLabels.Empathy)]
    [InlineData("那是物业那边的问题,你去找物业吧", UtteranceLabels.BlameShifting)]
    [InlineData("按照规定我们需要先核实身份,麻烦您报一下身份证后四位", UtteranceLabels.Neutral)]
    public void Classify_ShouldSeparateHardContrasts_WhenPhrasingIsNotInTrainingData(string text, string expected)
    {
        var r = f.BuiltIn.Classify(new UtteranceContext(text));
        Assert.Equal(expected, r.Label);
        Assert.Equal(1.0, r.Probabilities.Values.Sum(), 3);
        Assert.Equal(r.Probabilities[r.Label], r.Probability);
        Assert.Equal(text, r.Text);
    }

    [Fact]
    public void Classify_ShouldUseNextAgentTurn_WhenApologyIsBare()
    {
        const string apology = "真的很抱歉给您添麻烦了";
        var withHelp = f.BuiltIn.Classify(new UtteranceContext(apology, "我的网断了三天了", "我现在就给您加急派单,师傅两小时内联系您"));
        var withRefusal = f.BuiltIn.Classify(new UtteranceContext(apology, "我的网断了三天了", "这个没办法,规定就是按顺序排,您只能等着"));
        Assert.True(withHelp.Probabilities[UtteranceLabels.SincereApology] > withRefusal.Probabilities[UtteranceLabels.SincereApology]);
        Assert.True(withRefusal.Probabilities[UtteranceLabels.PerfunctoryApology] > withHelp.Probabilities[UtteranceLabels.PerfunctoryApology]);
    }

    [Fact]
    public void ForAgentTurns_ShouldFlagPerfunctoryAndBlame_WhenDevTranscriptsAreClassifiedInContext()
    {
        var perfunctory = HotlineQA.Transcription.Transcript.Load(TestPaths.Shared("data/transcripts-dev/broadband-repair-perfunctory-apology.transcript.json"));
        var turns = TranscriptContexts.ForAgentTurns(perfunctory);
        Assert.Equal(perfunctory.Utterances.Count(u => u.Speaker == "agent"), turns.Count);
        Assert.Equal(perfunctory.Utterances[1].Text, turns[1].Context.PreviousCustomerText);
        Assert.Equal(turns[2].Context.Text, turns[1].Context.NextAgentText);
        var apologies = turns.Where(t => t.Context.Text.Contains("抱歉") || t.Context.Text.Contains("不好意思") || t.Context.Text.Contains("对不起")).ToList();
        Assert.True(apologies.Count >= 4);
        Assert.All(apologies, t => Assert.Equal(UtteranceLabels.PerfunctoryApology, f.BuiltIn.Classify(t.Context).Label));

        var blame = HotlineQA.Transcription.Transcript.Load(TestPaths.Shared("data/transcripts-dev/ecommerce-lost-parcel-blames-warehouse-and-system.transcript.json"));
        var labels = TranscriptContexts.ForAgentTurns(blame).Select(t => f.BuiltIn.Classify(t.Context).Label).ToList();
        Assert.Equal(2, labels.Count(l => l == UtteranceLabels.BlameShifting));
        Assert.DoesNotContain(UtteranceLabels.PerfunctoryApology, labels);
    }

    [Fact]
    public void Classify_ShouldGiveSameAnswers_WhenCalledFromManyThreads()
    {
        var inputs = f.Data.Validation.Take(400).Select(u => u.Context).ToArray();
        var sequential = inputs.Select(i => f.BuiltIn.Classify(i)).ToArray();
        var parallel = new UtteranceClassification[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = f.BuiltIn.Classify(inputs[i]));
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(sequential[i].Label, parallel[i].Label);
            Assert.Equal(sequential[i].Probability, parallel[i].Probability, 6);
        }
    }

    [Fact]
    public void Classify_ShouldReturnNeutral_WhenTextIsEmpty()
    {
        var r = f.BuiltIn.Classify(new UtteranceContext("  。"));
        Assert.Equal(UtteranceLabels.Neutral, r.Label);
        Assert.Equal(1.0, r.Probability);
    }

    [Fact]
    public void Save_ShouldWriteLoadableModel_WhenSavedAndLoaded()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hotlineqa-model-{Guid.NewGuid():N}.zip");
        try
        {
            f.Retrained.Save(path);
            var loaded = MlNetUtteranceClassifier.Load(path);
            var u = f.Data.Validation[0].Context;
            Assert.Equal(f.Retrained.Classify(u).Probability, loaded.Classify(u).Probability, 6);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Load_ShouldFailClearly_WhenModelFileMissing()
    {
        var e = Assert.Throws<BadInputException>(() => MlNetUtteranceClassifier.Load("/nonexistent/model.zip"));
        Assert.Contains("/nonexistent/model.zip", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Load_ShouldFailClearly_WhenModelFileCorrupt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hotlineqa-corrupt-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37)).ToArray());
        try
        {
            var e = Assert.Throws<BadInputException>(() => MlNetUtteranceClassifier.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("not a usable classifier model", e.Message);
        }
        finally { File.Delete(path); }
    }
}
