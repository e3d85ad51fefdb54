using HotlineQA.Scoring;
using HotlineQA.TestSupport;

namespace HotlineQA.Tests.Scoring;

/// <summary>Readings of rubrics 2026.34–2026.35 (session 13) from calls of the labelled batches gs, gy and gz that the rules
/// misread, kept general: posting online is an escalation when the customer threatens to do it, not when the customer
/// objects to something the company has put online; 垃圾 is an insult, not the rubbish a cleaning company collects; an
/// abusive caller who calmed down after the warning does not leave unhappy for it; done in vain (白催) ends unhappy.</summary>
public class RubricSession13ReadingTests
{
    private const string Open = RubricSession9ReadingTests.Open, Close = RubricSession9ReadingTests.Close;
    private static string Result(string item, params string[] lines) => RubricSession9ReadingTests.Result(item, lines);

    [Theory]
    // Where a thing is (挂在网上 / 放在网上) is no threat …
    [InlineData("c: 孩子的名字和照片就这么挂在网上,你们考虑过安全没有?", "silent")]
    [InlineData("c: 我的身份证照片怎么会放在网上让人随便看?", "silent")]
    // … posting it is, and so is 把…挂在网上 (the customer hanging the company out online).
    [InlineData("c: 你们再不删,我就把你们挂在网上让大家评评理。", "fire")]
    [InlineData("c: 不给个说法我就把这事发到网上去。", "fire")]
    [InlineData("c: 再这样我就挂到网上去,让大家都看看。", "fire")]
    [InlineData("c: 我明天就发抖音。", "fire")]
    public void Escalation_ShouldHearPostingOnline_NotWhatIsOnline(string customerTurn, string expected) =>
        Assert.Equal(expected, Result("ESCALATION_RISK", Open, "c: 你们机构的公众号把我女儿的照片发上去了,谁同意的?", "a: 对不起,我马上核实。",
            customerTurn, "a: 我现在就联系同事撤下来,今天下午五点前给您回电。", Close));

    [Fact]
    public void Escalation_ShouldNotFlagTheParentWhoObjectsToAPostedPhoto()
    {
        // gs's art-school call (labelled: ESCALATION_RISK silent, not flagged), scored as the pipeline scores it.
        var call = DevSet.Batch("gs", "art-child-photo-posted-asr-agent-contradicts");
        var r = FreshBatchAgreementTests.Scorer.Score(call.Transcript);
        Assert.DoesNotContain(r.Findings, f => f.Item == "ESCALATION_RISK");
        Assert.Equal(call.Expected.Flagged, r.Flagged);
    }

    [Theory]
    // The rubbish itself is no insult (a cleaning contract's uncollected trash) …
    [InlineData("c: 我们这层的垃圾已经两天没人收了,茶水间那个桶里全是外卖盒。", "c: 工位边上的小垃圾桶也没人倒,客户下午还要来。", "na")]
    [InlineData("c: 我下楼倒个垃圾回来门就打不开了。", "c: 厨余垃圾桶也三天没人清了。", "na")]
    // … the insult is.
    [InlineData("c: 你们这帮垃圾,就知道拖!", "c: 一群垃圾!", "fail")]
    public void Harassment_ShouldHearTheInsult_NotTheRubbish(string first, string second, string expected) =>
        Assert.Equal(expected, Result("HARASSMENT", Open, first, "a: 真是不好意思,我马上通知班长安排人上去。", second, "a: 已经通知了,半小时内到。", "c: 行吧。", Close));

    [Theory]
    // A caller who calmed down after the warning (我不骂了) and whose complaint was then handled does not leave unhappy …
    [InlineData("c: 行,我不骂了。707房,孩子今天早上脐部发红。", "c: 好,没别的了。", "silent")]
    // … one who goes on abusing does.
    [InlineData("c: 707房,你们这帮废物赶紧派人。", "c: 好,没别的了。", "fire")]
    public void NegativeEnd_ShouldLetAnAbusiveCallerCalmDown(string afterWarning, string last, string expected) =>
        Assert.Equal(expected, Result("NEGATIVE_END", Open, "c: 你们这帮废物,我儿子肚脐都流脓了!", "a: 先生您别着急,请问宝宝在哪个房间?",
            "c: 你是聋子还是傻子?一群骗钱的玩意儿!", "a: 请您注意用语,如果您继续辱骂,我将不得不结束这次通话。", afterWarning,
            "a: 真的非常抱歉,我马上联系儿科医生十五分钟内到房间检查,下午四点前护士长给您回电。", last, Close));

    [Theory]
    // Done in vain ends the call unhappy; asking not to wait in vain again does not.
    [InlineData("c: 行吧,反正催了也白催。", "fire")]
    [InlineData("c: 没有了,反正问了也是白问。", "fire")]
    [InlineData("c: 行,那这次别再让我白等了。", "silent")]
    public void NegativeEnd_ShouldHearDoneInVain(string last, string expected) =>
        Assert.Equal(expected, Result("NEGATIVE_END", Open, "c: 你好,我想问一下我那个维修单到哪一步了,上周报的。", "a: 我帮您查一下,师傅明天上午上门。", last, Close));

    [Theory]
    // 2026.36: a threat to complain to the regulator fires — 部投诉 is not 不投诉, though they sound alike (bù) …
    [InlineData("c: 行,我不跟你说了,我去工信部投诉。", "fire")]
    [InlineData("c: 你再这么推,我直接打工信部投诉。", "fire")]
    // … while the customer who says they will not complain is no escalation.
    [InlineData("c: 行吧,我也不投诉了,你们尽快处理就行。", "silent")]
    public void Escalation_ShouldHearTheRegulator_NotASoundAlikeDenial(string customerTurn, string expected) =>
        Assert.Equal(expected, Result("ESCALATION_RISK", Open, "c: 我家宽带这礼拜断了三次了。", "a: 非常抱歉,我马上帮您报修。", customerTurn,
            "a: 好的,师傅下午两点前联系您。", Close));
}
