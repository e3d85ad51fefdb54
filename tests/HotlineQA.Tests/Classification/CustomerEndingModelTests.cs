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
        var context = new float[CustomerEndingModel.ContextCount];
        Assert.True(model.Probability("行吧,反正我也只能等着,你们就这样办事的。", context) > model.Probability("好的,问题解决了,太感谢你了!", context));
    }

    [Fact]
    public void Read_ShouldHearTheSameTerseEndingAsUnhappierAfterAQuarrel_ThanAfterACalmEnquiry()
    {
        // 2026.31: the model reads the turn before the last words and the whole call's customer turns. "行,知道了" after a
        // price enquiry and after a refused claim and a threat are the same words; the call around them is not.
        var model = CustomerEndingModel.LoadDefault();
        var customer = CustomerStateModel.LoadDefault();
        double P(params string[] lines)
        {
            var u = CallBuilder.Call(lines).Utterances;
            return model.Read(u, customer.Predict(u))!.Value.Negative;
        }
        var calm = P("a: 您好,请问有什么可以帮您?", "c: 你好,我想问一下驾照翻译多少钱。", "a: 普通翻译一百五十块一份,当天能出。",
            "c: 行,知道了,我问完再联系你们。", "a: 好的,再见。");
        var quarrel = P("a: 您好,请问有什么可以帮您?", "c: 你们把我的翻译件名字拼错了,签证被退回来,机票都白买了!", "a: 这个是译员的问题,我们这边没办法退钱。",
            "c: 你们错了还不认?我要去消协投诉你们!", "a: 这个您随便。", "c: 行,知道了,我问完再联系你们。", "a: 好的,再见。");
        Assert.True(quarrel > calm + 0.2, $"after the quarrel {quarrel:F3}, after the enquiry {calm:F3}");
    }

    [Fact]
    public void WordsAndContext_ShouldReadTheTurnBefore_AndTheCallAroundTheEnding()
    {
        var customer = CustomerStateModel.LoadDefault();
        var u = CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 我的快递三天了还没到。", "a: 我帮您催一下。", "c: 行吧,反正我也只能等着。",
            "a: 还有其他问题吗?", "c: 没了。", "a: 再见。").Utterances;
        Assert.Equal("我的快递三天了还没到" + CustomerEndingModel.Separator + "行吧反正我也只能等着", CustomerEndingModel.Words(u, 3, 1));
        Assert.Equal("行吧反正我也只能等着", CustomerEndingModel.Words(u, 3, null));
        var states = customer.Predict(u);
        var context = CustomerEndingModel.Context(u, states, 3, 1);
        Assert.Equal(CustomerEndingModel.ContextCount, context.Length);
        Assert.Equal((float)states.Min(s => s.Sentiment), context[4]);
        Assert.Equal((float)states.Max(s => s.Negative), context[5]);
        Assert.Equal(1 / 3f, context[7]);   // one customer turn (没了) after the last words
        Assert.Equal(0f, CustomerEndingModel.Context(u, [], 3, 1)[4]);
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
