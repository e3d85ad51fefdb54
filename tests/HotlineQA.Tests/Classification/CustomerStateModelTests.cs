using HotlineQA.Classification;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Transcription;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.Tests.Classification;

public class CustomerStateModelTests
{
    private static Utterance U(string speaker, string text, int i) => new() { Speaker = speaker, Text = text, Start = i * 5, End = i * 5 + 4 };

    private static readonly IReadOnlyList<Utterance> UnhappyCall =
    [
        U(Speakers.Agent, "您好，很高兴为您服务", 0),
        U(Speakers.Customer, "我从上午等到现在，维修师傅一直没来，我今天专门请了假", 1),
        U(Speakers.Agent, "我帮您查一下", 2),
        U(Speakers.Customer, "嗯", 3),
        U(Speakers.Agent, "师傅那边排满了，只能明天了", 4),
        U(Speakers.Customer, "又是明天，你们每次都这么说，我这假白请了", 5),
    ];

    [Fact]
    public void Predict_ShouldReturnOneStatePerCustomerTurn_InTranscriptOrder()
    {
        var model = CustomerStateModel.LoadDefault();
        var states = model.Predict(UnhappyCall);
        Assert.Equal([1, 3, 5], states.Select(s => s.Utterance));
        foreach (var s in states)
        {
            Assert.Equal(1.0, s.Complaint + s.Dissatisfaction + s.Abuse + s.Satisfied + s.Neutral, 3);
            Assert.InRange(s.Sentiment, -1, 1);
        }
    }

    [Fact]
    public void Predict_ShouldReadComplaintWithoutMarkerWords_AndThanksAsSatisfied()
    {
        var model = CustomerStateModel.LoadDefault();
        var complaint = model.Classify(new CustomerTurnContext("我交了押金两个多月了，你们说好一周退，到现在一分钱都没看到", null, 0, 3));
        var thanks = model.Classify(new CustomerTurnContext("好的，问题解决了，谢谢你", "已经帮您处理好了", 2, 3));
        var enquiry = model.Classify(new CustomerTurnContext("你好，我想问一下营业厅几点开门", null, 0, 3));
        Assert.True(complaint.Negative > 0.5, $"complaint read as {complaint}");
        Assert.True(thanks.Satisfied > 0.5, $"thanks read as {thanks}");
        Assert.True(complaint.Sentiment < thanks.Sentiment);
        Assert.True(enquiry.Sentiment > complaint.Sentiment);
    }

    [Fact]
    public void Summarize_ShouldSkipBackchannels_ForStartAndEnd_AndReportTrend()
    {
        var model = CustomerStateModel.LoadDefault();
        var states = model.Predict(UnhappyCall);
        var cs = model.Summarize(UnhappyCall, states);
        Assert.Equal(3, cs.Turns.Count);
        Assert.Equal(Math.Round(states[0].Sentiment, 3), cs.Start);
        Assert.Equal(Math.Round(states[2].Sentiment, 3), cs.End);
        Assert.Equal(25, cs.Turns[2].Start);
        Assert.True(cs.Overall < 0, $"overall {cs.Overall}");
        Assert.Contains(cs.Trend, new[] { CustomerSentiment.Trends.Better, CustomerSentiment.Trends.Same, CustomerSentiment.Trends.Worse });
        var expected = cs.End - cs.Start >= CustomerStateModel.TrendDelta ? "better" : cs.End - cs.Start <= -CustomerStateModel.TrendDelta ? "worse" : "same";
        Assert.Equal(expected, cs.Trend);
    }

    [Theory]
    [InlineData("电话158 2230 9147", "电话0")]
    [InlineData("订单号2023110855671,尾号４４７１", "订单号0尾号0")]
    [InlineData("我等了3天", "我等了0天")]
    [InlineData("没有数字", "没有数字")]
    public void NormalizeCustomer_ShouldReadARunOfDigitsAsOneNumber(string text, string expected) =>
        Assert.Equal(expected, TextNormalizer.NormalizeCustomer(text));

    [Fact]
    public void Predict_ShouldNotHearAPhoneNumberAsDissatisfaction()
    {
        // Session 9: read digit by digit, the number made this booking confirmation "dissatisfied" (0.79) and the call a
        // complaint call; the customer models now read a run of digits as one number.
        var model = CustomerStateModel.LoadDefault();
        var agent = "对,套餐价就是低消,超出套餐的酒水另外算。您要订的话我这边先给您留房,需要付两百块定金。";
        var withNumber = model.Classify(new CustomerTurnContext("行,那帮我订上吧。我姓李,电话158 2230 9147。", agent, 3, 5));
        var without = model.Classify(new CustomerTurnContext("行,那帮我订上吧。我姓李。", agent, 3, 5));
        Assert.True(withNumber.Negative < 0.5, $"negativity {withNumber.Negative:0.00} with the phone number");
        Assert.True(Math.Abs(withNumber.Negative - without.Negative) < 0.3, $"{withNumber.Negative:0.00} with the number, {without.Negative:0.00} without");
    }

    [Fact]
    public void Summarize_ShouldGiveZeroes_WhenThereAreNoCustomerTurns()
    {
        var model = CustomerStateModel.LoadDefault();
        IReadOnlyList<Utterance> agentOnly = [U(Speakers.Agent, "您好", 0)];
        var cs = model.Summarize(agentOnly, model.Predict(agentOnly));
        Assert.Empty(cs.Turns);
        Assert.Equal(0, cs.Overall);
        Assert.Equal(CustomerSentiment.Trends.Same, cs.Trend);
    }

    [Fact]
    public void Load_ShouldNameTheFile_WhenMissingOrNotAModel()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.zip");
        Assert.Contains(missing, Assert.Throws<BadInputException>(() => CustomerStateModel.Load(missing)).Message);
        var junk = Path.Combine(Path.GetTempPath(), $"junk-{Guid.NewGuid():N}.zip");
        File.WriteAllText(junk, "not a zip");
        try { Assert.Contains(junk, Assert.Throws<BadInputException>(() => CustomerStateModel.Load(junk)).Message); }
        finally { File.Delete(junk); }
    }

    [Fact]
    public void AddClassification_ShouldRegisterOneSharedCustomerModel()
    {
        using var sp = new ServiceCollection().AddClassification(new ConfigurationBuilder().Build()).BuildServiceProvider();
        Assert.Same(sp.GetRequiredService<CustomerStateModel>(), sp.GetRequiredService<CustomerStateModel>());
        Assert.Same(CustomerStateModel.LoadDefault(), sp.GetRequiredService<CustomerStateModel>());
    }

    [Fact]
    public void ReadPhoneTsv_ShouldRefuseUnknownLabel_WithSourceAndLine()
    {
        var e = Assert.Throws<BadInputException>(() => CustomerModelTraining.ReadPhoneTsv(new StringReader("# c\nangry\t你们太慢了\n"), "x.tsv"));
        Assert.Contains("x.tsv:2", e.Message);
        var p = Assert.Throws<BadInputException>(() => CustomerModelTraining.ReadPhoneTsv(new StringReader("neutral\t你好\t-\tsomewhere\n"), "y.tsv"));
        Assert.Contains("y.tsv:1", p.Message);
    }

    [Fact]
    public void Phone_ShouldCoverEveryLabel()
    {
        var phone = CustomerModelTraining.Phone();
        Assert.All(CustomerLabels.All, l => Assert.Contains(phone, r => r.Label == l));
    }

    [Fact]
    public void Train_ShouldWriteTheSameFileTwice_WhenGivenTheSameData()
    {
        var dialogues = CustomerModelTraining.ReadStc3(TestPaths.Shared("data/stc3/stc3_helpdesk_dev.json")).Take(300).ToList();
        var data = new CustomerDataset([], dialogues.SelectMany(CustomerModelTraining.WeakLabels).ToList(), CustomerModelTraining.Phone());
        var a = Path.Combine(Path.GetTempPath(), $"cs-a-{Guid.NewGuid():N}.zip");
        var b = Path.Combine(Path.GetTempPath(), $"cs-b-{Guid.NewGuid():N}.zip");
        try
        {
            CustomerModelTraining.Train(data).Save(a);
            CustomerModelTraining.Train(data).Save(b);
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
            var loaded = CustomerStateModel.Load(a);
            Assert.Equal(5, CustomerLabels.All.Count);
            Assert.InRange(loaded.Classify(CustomerTurnContext.Alone("谢谢")).Sentiment, -1, 1);
        }
        finally { File.Delete(a); File.Delete(b); }
    }

    [Fact]
    public void WeakLabels_ShouldLabelOnlyTheClearEndsOfTheSatisfactionScale()
    {
        (string, string)[] turns = [("customer", "我的快递三天没动了"), ("agent", "亲，帮您催一下"), ("customer", "好的")];
        var unhappy = CustomerModelTraining.WeakLabels(new Stc3Dialogue("1", turns, -1.5, 0, 0)).ToList();
        Assert.Equal([CustomerLabels.Complaint, CustomerLabels.Dissatisfaction], unhappy.Select(t => t.Label));
        Assert.Equal("亲，帮您催一下", unhappy[1].Turn.PreviousAgentText);
        Assert.Equal(1, unhappy[1].Turn.CustomerTurn);
        var happy = CustomerModelTraining.WeakLabels(new Stc3Dialogue("2", turns, 1.0, 0, 0)).ToList();
        Assert.Equal([CustomerLabels.Satisfied], happy.Select(t => t.Label));
        Assert.Empty(CustomerModelTraining.WeakLabels(new Stc3Dialogue("3", turns, 0, 0, 0)));
    }

    [Fact]
    public void ReadReviews_ShouldNameFileAndLine_WhenALabelIsBad()
    {
        var dir = Directory.CreateTempSubdirectory("hotlineqa-reviews-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "online_shopping_10_cats.csv"), "cat,label,review\n书籍,1,\"好书,推荐\"\n");
            File.WriteAllText(Path.Combine(dir.FullName, "waimai_10k.csv"), "label,review\n0,太慢了\n");
            File.WriteAllText(Path.Combine(dir.FullName, "ChnSentiCorp_htl_all.csv"), "label,review\n1,不错\n7,房间很小\n");
            var e = Assert.Throws<BadInputException>(() => CustomerModelTraining.ReadReviews(dir.FullName));
            Assert.Contains("ChnSentiCorp_htl_all.csv:3", e.Message);
            File.WriteAllText(Path.Combine(dir.FullName, "ChnSentiCorp_htl_all.csv"), "label,review\n1,不错\n");
            Assert.All(CustomerModelTraining.ReadReviews(dir.FullName), r => Assert.Contains(r.Label, new[] { CustomerLabels.Complaint, CustomerLabels.Satisfied }));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Predict_ShouldGiveSameStates_WhenWholeCallsAndSingleTurnsRunOnManyThreads()
    {
        // A call rents one engine for all its turns (and single turns rent one each): many callers at once must get
        // exactly what one caller gets, whichever engine they were handed.
        var model = CustomerStateModel.LoadDefault();
        var calls = HotlineQA.TestSupport.DevSet.Load().Select(c => c.Transcript.Utterances).ToArray();
        var sequential = calls.Select(model.Predict).ToArray();
        var parallel = new IReadOnlyList<CustomerTurnState>[calls.Length * 4];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var call = calls[i % calls.Length];
            // Every other caller also reads single turns in between, so engines move between the spare slot and the pool.
            if (i % 2 == 1) model.Classify(CustomerTurnContext.Alone("等了三天还没人来"));
            parallel[i] = model.Predict(call);
        });
        Assert.Contains(sequential, s => s.Count > 0);
        for (var i = 0; i < parallel.Length; i++)
            Assert.Equal(sequential[i % calls.Length], parallel[i]);
    }
}
