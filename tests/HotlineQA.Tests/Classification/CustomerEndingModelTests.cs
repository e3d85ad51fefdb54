using HotlineQA.Classification;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Tests.Scoring;
using HotlineQA.TestSupport;
using HotlineQA.Transcription;

namespace HotlineQA.Tests.Classification;

/// <summary>The ending model (how the customer leaves; rubric 2026.10's NEGATIVE_END): shipped as its command trains it,
/// run compiled with ML.NET's numbers, reading the turns it is meant to read.</summary>
public class CustomerEndingModelTests
{
    private static readonly string[] LabelledFolders =
        [DevSet.Folder, .. Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "tests", "data"), "transcripts-*")];

    [Fact]
    public void TrainEnding_ShouldWriteTheShippedModelByteForByte_FromTheCommittedData()
    {
        // The committed model is what `customer-model train-ending` makes of the committed labelled calls and the shared
        // STC-3 file: a labelled batch added without retraining (or a changed trainer) shows up here.
        var customer = CustomerStateModel.LoadDefault();
        var examples = LabelledEndings.Read(LabelledFolders, RubricLoader.LoadDefault(), customer);
        Assert.True(examples.Count > 500, $"only {examples.Count} labelled endings");
        examples.AddRange(CustomerEndingModel.Stc3Examples(CustomerModelTraining.ReadStc3(TestPaths.Shared("data/stc3/stc3_helpdesk_dev.json")), customer));
        var path = Path.GetTempFileName();
        try
        {
            CustomerEndingModel.Train(examples).Save(path);
            var shipped = Path.Combine(TestPaths.RepoRoot, "src", "HotlineQA.Core", "Classification", "Model", "customer-ending.zip");
            Assert.True(File.ReadAllBytes(shipped).AsSpan().SequenceEqual(File.ReadAllBytes(path)),
                "the shipped ending model is not what 'hotlineqa customer-model train-ending' writes from the committed data: retrain it");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Model_ShouldRunCompiledWithMlNetsProbabilities_OnEveryLabelledEnding()
    {
        var model = CustomerEndingModel.LoadDefault();
        Assert.True(model.Compiled);
        var reference = model.WithoutCompilation();
        Assert.False(reference.Compiled);
        var examples = LabelledEndings.Read(LabelledFolders, RubricLoader.LoadDefault(), CustomerStateModel.LoadDefault());
        var worst = examples.Max(e => Math.Abs(model.Probability(e.Text, e.Context) - reference.Probability(e.Text, e.Context)));
        Assert.True(worst < 1e-5, $"largest difference from ML.NET: {worst}");
    }

    [Fact]
    public void EndingTurns_ShouldSkipBareAnswers_AndTakeTheTurnBefore()
    {
        var call = CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 我的快递三天了还没到。", "a: 我帮您催一下。", "c: 行吧,反正我也只能等着。",
            "a: 还有其他问题吗?", "c: 没了。", "a: 再见。").Utterances;
        Assert.Equal((3, (int?)1), CustomerEndingModel.EndingTurns(call));
        Assert.Null(CustomerEndingModel.EndingTurns(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 嗯。").Utterances));
        Assert.Equal((1, (int?)null), CustomerEndingModel.EndingTurns(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 我想查一下话费。").Utterances));
    }

    [Fact]
    public void Probability_ShouldHearAResignedEndingAboveAThankfulOne_WithTheSameContext()
    {
        // Not a figure (bench negative-end gives those): the model must order the two obvious cases right.
        var model = CustomerEndingModel.LoadDefault();
        var context = CustomerEndingModel.Context(null, null);
        Assert.True(model.Probability("行吧,反正我也只能等着,你们就这样办事的。", context) > model.Probability("好的,问题解决了,太感谢你了!", context));
    }

    [Fact]
    public void Load_ShouldRefuseAFileThatIsNotAnEndingModel_WithItsPath()
    {
        var shippedCustomer = Path.Combine(TestPaths.RepoRoot, "src", "HotlineQA.Core", "Classification", "Model", "customer-state.zip");
        var e = Assert.Throws<BadInputException>(() => CustomerEndingModel.Load(shippedCustomer));
        Assert.Contains(shippedCustomer, e.Message);
        Assert.Contains("not a usable customer ending model", e.Message);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-ending-model.zip");
        Assert.Contains(missing, Assert.Throws<BadInputException>(() => CustomerEndingModel.Load(missing)).Message);
    }

    [Fact]
    public void Train_ShouldRefuse_WhenEveryEndingHasTheSameLabel()
    {
        var same = Enumerable.Range(0, 5).Select(i => new LabelledEnding($"没了谢谢{i}", new float[CustomerEndingModel.ContextCount], false, 1, "test"));
        Assert.Throws<BadInputException>(() => CustomerEndingModel.Train(same));
    }
}
