using HotlineQA.Scoring;

namespace HotlineQA.Tests.Scoring;

/// <summary>Readings of rubric 2026.26 (session 9), each from calls of the labelled batches that the rules misread, kept
/// general: "didn't use" is not "useless"; a bare "anything else?" is no farewell; a step named after a refusal is refused,
/// not taken; a past span is no follow-up; the customer's opening account confirms nothing.</summary>
public class RubricSession9ReadingTests
{
    internal const string Open = "a: 您好,请问有什么可以帮您?";
    internal const string Close = "a: 感谢您的来电,再见。";
    private static RubricScorer Scorer => RubricItemTests.Scorer;

    /// <summary>The result of <paramref name="item"/> on the call of <paramref name="lines"/>, rules only ("silent" when absent).</summary>
    internal static string Result(string item, params string[] lines) =>
        Scorer.Score(CallBuilder.Call(lines)).Findings.SingleOrDefault(f => f.Item == item)?.Result ?? "silent";

    [Theory]
    // 没用 as "useless" ends a call unhappy; 没用过 / 根本没用 ("didn't use it") does not.
    [InlineData("c: 行吧,反正跟你说了也没用。", "fire")]
    [InlineData("c: 重启了好几回也没用。", "fire")]
    [InlineData("c: 那张卡我一次都没用过,钱能退就行。", "silent")]
    [InlineData("c: 可我上个月也根本没用啊,那就先这样吧。", "silent")]
    public void NegativeEnd_ShouldTellUselessFromUnused(string lastTurn, string expected) =>
        Assert.Equal(expected, Result("NEGATIVE_END", Open, "c: 这个月又扣了我六十八的会员费。", "a: 我马上帮您查一下,已经给您申请退款了。", lastTurn));

    [Theory]
    // An offer of more help takes leave (RUBRIC.md's 还有其他可以帮您的吗); a bare 还有别的事吗 with nothing after it does not.
    [InlineData("a: 已经帮您改好了。还有其他可以帮您的吗?", "pass")]
    [InlineData("a: 已经改好了。还有别的事吗?", "fail")]
    [InlineData("a: 已经改好了。还有其他问题吗?", "fail")]
    public void Closing_ShouldWantAnOfferOfHelpOrAFarewell(string lastAgentTurn, string expected) =>
        Assert.Equal(expected, Result("CLOSING", Open, "c: 我想把预约改到周五。", "a: 好的,我帮您看一下。", "c: 好。", lastAgentTurn));

    [Theory]
    // The step named right after a refusal is refused (没办法给您安排), not taken.
    [InlineData("a: 不好意思,今天晚上包间全部订满了,没办法给您安排。", "fail")]
    [InlineData("a: 非常抱歉,今天晚上包间订满了,我给您安排明天同一时间的包间,可以吗?", "pass")]
    public void Solution_ShouldNotTakeARefusedStep(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("SOLUTION", Open, "c: 我订的包间你们说查不到,一家人都在门口站着呢,太过分了!", agentTurn, Close));

    [Theory]
    // A span in the past (前两天系统升级) is no commitment; a span ahead (提前两天通知) still is.
    [InlineData("a: 抱歉,前两天系统升级,有一批预订没同步到门店。", "fail")]
    [InlineData("a: 非常抱歉,我给您重新登记,提前两天电话通知您。", "pass")]
    public void FollowUp_ShouldNotReadThePastAsACommitment(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("FOLLOW_UP", Open, "c: 我订的包间你们说查不到,一家人都在门口站着呢,太过分了!", agentTurn, Close));

    [Fact]
    public void FollowUp_ShouldNotTakeTheOpeningAccountAsTheCustomersConfirmation()
    {
        // "钱我收到了" inside the grievance is no confirmation that the agent solved it.
        Assert.Equal("fail", Result("FOLLOW_UP", Open, "c: 预售突然取消了,钱我收到了,可我不要钱,我要的是那只兔子,太过分了!",
            "a: 不好意思,这是品牌方决定的,我们也没办法。", "c: 行吧。", Close));
        // Said after the agent's handling, it is.
        Assert.Equal("pass", Result("FOLLOW_UP", Open, "c: 预售突然取消了,退款一直没到,太过分了!",
            "a: 非常抱歉,我马上帮您加急退款。", "c: 嗯,收到了。", Close));
    }

    [Theory]
    // A refund stated as a yes while explaining the rule is help, so the apology with it is sincere.
    [InlineData("a: 真的很抱歉。按照我们的退卡规定,没有消费的余额可以退,能退的是一万七千六百元。", "pass")]
    [InlineData("a: 真的很抱歉,按照我们的规定,已经开过的卡不能退。", "fail")]
    public void Apology_ShouldHearARefundGrantedAsHelp(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("APOLOGY", Open, "c: 我妈七十多了,被劝着办了两万块的卡,自己都说不清办的什么,我想给她退了,太坑了。", agentTurn, Close));

    // ---- rubric 2026.27 (from batches dm–dp)

    [Theory]
    // The rule or another party given as the whole answer blames; the customer's own case restated does not.
    [InlineData("a: 不好意思,定制类的窗帘做好了是不退不换的,这是公司规定。", "fail")]
    [InlineData("a: 流程就是这样,我这边也改不了。", "fail")]
    [InlineData("a: 定金退不退是门店那边定的。", "fail")]
    [InlineData("a: 不是这样的,系统显示是发送成功的,您可能是没注意看。", "fail")]
    [InlineData("a: 那您当时怎么不早点问呢?", "fail")]
    [InlineData("a: 您先别急。您报的是纯玩团,合同写明无购物,但行程里被带进了玉器店,对吗?", "pass")]
    public void Blame_ShouldHearTheRuleOrAnotherPartyGivenAsTheAnswer(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("BLAME_SHIFTING", Open, "c: 我的定金到现在都没退,你们到底管不管?太过分了!", agentTurn, Close));

    [Theory]
    // Procedure first, then an apology that owns the fault or acknowledges the trouble: sincere (EMOTION_FIRST marks the
    // order); an apology after the help that is itself a refusal or a holding line is not.
    [InlineData("a: 确实是我们的失误,让您跟着受累了,真的非常抱歉。", "pass")]
    [InlineData("a: 抱歉,这个确实退不了。", "fail")]
    [InlineData("a: 不好意思,前面的工单可能还在处理当中。", "fail")]
    public void Apology_ShouldHearAnApologyAfterTheHelpBegan(string apologyTurn, string expected) =>
        Assert.Equal(expected, Result("APOLOGY", Open, "c: 我买的饲料发错了,小猪吃了两天拉肚子,你们怎么搞的!",
            "a: 我马上帮您查一下订单。", "c: 嗯。", "a: 查到了,已经给您安排补发正确的饲料,明天上午送到。", "c: 好吧。", apologyTurn, Close));

    private static RubricScorer WithModels => RubricSession5ReadingTests.WithModels;

    [Fact]
    public void ComplaintGate_ShouldOpen_WhenTheAgentAcknowledgesTheFeelingsAndApologisesInOneBreath()
    {
        // Batch dk's calm early-settlement complaint (procedure first, the feelings acknowledged with the apology later):
        // missed before rubric 2026.27.
        var call = HotlineQA.Transcription.Transcript.Load(Path.Combine(TestPaths.RepoRoot, "tests", "data", "transcripts-batch-dk",
            "car-loan-early-settlement-penalty-procedure-first-bare-refusal.transcript.json"));
        Assert.True(WithModels.Score(call).IsComplaint);
        // After a hold, 不好意思,让您久等了 is the courtesy enquiries get too: not that acknowledgement.
        var enquiry = WithModels.Score(CallBuilder.Call(Open, "c: 我想问一下车贷提前还款要怎么办理?", "a: 好的,请您稍等,我帮您查一下。",
            "a: 不好意思,让您久等了。提前还款在App里申请就可以。", "c: 好的,谢谢。", Close));
        Assert.False(enquiry.IsComplaint);
    }

    // ---- rubric 2026.28 (from batch du–dx)

    [Theory]
    // The customer's complaint restated to confirm it is the customer's wording, not the agent's blame; a blame said after
    // the confirming tag still is one.
    [InlineData("a: 您是说现在这位护工没有按要求定时给阿姨翻身,已经出现皮肤压红了,对吗?", "pass")]
    [InlineData("a: 您是说一个师傅的电话都没接到过,是吧?那可能是您当时留的号码不对。", "fail")]
    public void Blame_ShouldNotReadTheCustomersComplaintRestated(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("BLAME_SHIFTING", Open, "c: 你们派的护工根本不按要求给我妈翻身,都压红了,我打了三次电话了!", agentTurn, Close));
}
