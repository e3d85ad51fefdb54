using HotlineQA.Classification;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Tests.Scoring;
using HotlineQA.TestSupport;

namespace HotlineQA.Tests.Classification;

/// <summary>The call-complaint model (rubric 2026.29's complaintCallModel): shipped as its command trains it, run compiled
/// with ML.NET's numbers, reading the customer's words of the call and nothing else.</summary>
public class CallComplaintModelTests
{
    private static readonly string[] LabelledFolders =
        [DevSet.Folder, .. Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "tests", "data"), "transcripts-*")];

    [Fact]
    public void TrainComplaint_ShouldWriteTheShippedModelByteForByte_FromTheCommittedData()
    {
        // The committed model is what `customer-model train-complaint` makes of the committed labelled calls: a labelled
        // batch added without retraining (or a changed trainer) shows up here.
        var examples = LabelledComplaintCalls.Read(LabelledFolders, RubricLoader.LoadDefault());
        Assert.True(examples.Count > 2000, $"only {examples.Count} labelled calls");
        var path = Path.GetTempFileName();
        try
        {
            CallComplaintModel.Train(examples).Save(path);
            var shipped = Path.Combine(TestPaths.RepoRoot, "src", "HotlineQA.Core", "Classification", "Model", "call-complaint.zip");
            Assert.True(File.ReadAllBytes(shipped).AsSpan().SequenceEqual(File.ReadAllBytes(path)),
                "the shipped call-complaint model is not what 'hotlineqa customer-model train-complaint' writes from the committed data: retrain it");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Model_ShouldRunCompiledWithMlNetsProbabilities_OnEveryLabelledCall()
    {
        var model = CallComplaintModel.LoadDefault();
        Assert.True(model.Compiled);
        var reference = model.WithoutCompilation();
        Assert.False(reference.Compiled);
        var rubric = RubricLoader.LoadDefault();
        var worst = DevSet.LabelledFolders().SelectMany(DevSet.Load).Select(c => RubricScorer.ModelUtterancesOf(rubric, c.Transcript))
            .Max(u => Math.Abs((model.Probability(u) ?? -1) - (reference.Probability(u) ?? -1)));
        Assert.True(worst < 1e-5, $"largest difference from ML.NET: {worst}");
    }

    [Fact]
    public void Words_ShouldBeTheCustomersNormalizedTurns_WithoutTheAgentsOrTheEmptyOnes()
    {
        var call = CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 我的卡号是 6222 0211 0011,扣了两次费。", "a: 我帮您查一下。", "c: ……", "c: 嗯,好。").Utterances;
        var words = CallComplaintModel.Words(call);
        Assert.Equal(TextNormalizer.NormalizeCustomer("我的卡号是 6222 0211 0011,扣了两次费。") + CallComplaintModel.TurnSeparator + TextNormalizer.NormalizeCustomer("嗯,好。"), words);
        Assert.DoesNotContain("帮您", words);
        Assert.Null(CallComplaintModel.LoadDefault().Probability(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "a: 您好?").Utterances));
    }

    [Fact]
    public void Probability_ShouldHearACalmStoryOfWhatItCostAboveAPlainEnquiry()
    {
        // Not a figure (bench complaint-call gives those): the model must order the two obvious cases right.
        var model = CallComplaintModel.LoadDefault();
        var story = CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 我上周在你们这儿订的药,说当天送到,结果晚了五个小时,孩子一直发烧等着,还多收了我二十块夜间配送费。",
            "a: 我帮您查一下。", "c: 那这二十块能退吗?", "a: 可以的。", "c: 行吧。").Utterances;
        var enquiry = CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 我想问一下你们周末几点开门,能不能预约上午的号。",
            "a: 周末九点开门,可以预约。", "c: 好的,谢谢。").Utterances;
        Assert.True(model.Probability(story) > model.Probability(enquiry));
    }

    [Fact]
    public void Load_ShouldRefuseAFileThatIsNotACallComplaintModel_WithItsPath()
    {
        var shippedEnding = Path.Combine(TestPaths.RepoRoot, "src", "HotlineQA.Core", "Classification", "Model", "customer-ending.zip");
        var e = Assert.Throws<BadInputException>(() => CallComplaintModel.Load(shippedEnding));
        Assert.Contains(shippedEnding, e.Message);
        Assert.Contains("not a usable call-complaint model", e.Message);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-call-complaint-model.zip");
        Assert.Contains(missing, Assert.Throws<BadInputException>(() => CallComplaintModel.Load(missing)).Message);
    }

    [Fact]
    public void Read_ShouldRefuseALabelsFileWithoutIsComplaint_NamingIt()
    {
        // A labelled folder whose labels cannot teach the model is refused with the file, not trained around.
        var dir = Directory.CreateTempSubdirectory("labelled-");
        try
        {
            var source = DevSet.Load().First();
            File.Copy(Path.Combine(DevSet.Folder, source.Name + ".transcript.json"), Path.Combine(dir.FullName, "call-1.transcript.json"));
            File.WriteAllText(Path.Combine(dir.FullName, "call-1.expected.json"), "{\"flagged\": false, \"items\": {}}");
            var e = Assert.Throws<BadInputException>(() => LabelledComplaintCalls.Read([dir.FullName], RubricLoader.LoadDefault()));
            Assert.Contains("call-1.expected.json", e.Message);
            Assert.Contains("isComplaint", e.Message);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void Train_ShouldRefuse_WhenEveryCallHasTheSameLabel()
    {
        var same = Enumerable.Range(0, 5).Select(i => new LabelledComplaintCall($"我想问一下{i}", false, "test"));
        Assert.Throws<BadInputException>(() => CallComplaintModel.Train(same));
    }
}
