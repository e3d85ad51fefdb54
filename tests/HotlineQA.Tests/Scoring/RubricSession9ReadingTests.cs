using HotlineQA.Scoring;

namespace HotlineQA.Tests.Scoring;

/// <summary>Readings of rubric 2026.26 (session 9), each from calls of the labelled batches that the rules misread, kept
/// general: "didn't use" is not "useless"; a bare "anything else?" is no farewell; a step named after a refusal is refused,
/// not taken; a past span is no follow-up; the customer's opening account confirms nothing.</summary>
public class RubricSession9ReadingTests
{
    private const string Open = "a: 您好,请问有什么可以帮您?";
    private const string Close = "a: 感谢您的来电,再见。";
    private static RubricScorer Scorer => RubricItemTests.Scorer;

    private static string Result(string item, params string[] lines) =>
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
}
