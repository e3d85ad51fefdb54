using HotlineQA.Scoring;

namespace HotlineQA.Tests.Scoring;

/// <summary>Readings of rubric 2026.29 (session 10) from calls of the labelled batches that the rules misread, kept
/// general: a request to speak up that starts with 请您 is polite wherever its 好吗 falls; a place named 服务区 is no
/// "what kind of service".</summary>
public class RubricSession10ReadingTests
{
    private const string Open = RubricSession9ReadingTests.Open, Close = RubricSession9ReadingTests.Close;
    private static RubricScorer Scorer => RubricItemTests.Scorer;
    private static string Result(string item, params string[] lines) => RubricSession9ReadingTests.Result(item, lines);

    [Theory]
    // 请您大声一点 asks, even when the 好吗 comes after another clause; a bare 大声一点 orders.
    [InlineData("a: 对不起,您那边杂音比较大,我听不太清楚,请您大声一点,或者换到安静一点的地方说,好吗?", "pass", "pass")]
    [InlineData("a: 对不起,您那边声音太小了,麻烦您说话稍微大声一点,或者把手机拿近一点。", "pass", "pass")]
    [InlineData("a: 听不清,你大声一点!", "fail", "fail")]
    [InlineData("a: 您那边杂音太大了,大点声。", "fail", "fail")]
    public void SpeakUp_ShouldBeARequest_WhenItStartsWithPlease(string agentTurn, string forbidden, string poorLine)
    {
        string[] lines = [Open, "c: 喂 我那个 嗯 货 那个 到 没有", agentTurn, "c: 哦 现在能听清了吗", "a: 能听清了,您请说。", "c: 我想查一下货到哪了。", "a: 预计十一点到。", Close];
        Assert.Equal(forbidden, Result("FORBIDDEN_PHRASE", lines));
        Assert.Equal(poorLine, Result("POOR_LINE", lines));
    }

    [Theory]
    // 您说话 as a scolding (你说话客气点) is forbidden; 听不清您说话 is the line, not the customer, being blamed.
    [InlineData("a: 对不起,实在听不清您说话,我这边先挂断了,再见。", "pass")]
    [InlineData("a: 您好,能听到您说话,请讲。", "pass")]
    [InlineData("a: 你说话客气点,别在这儿嚷嚷。", "fail")]
    public void Forbidden_ShouldNotHearCannotHearYouAsAScolding(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("FORBIDDEN_PHRASE", Open, "c: 喂……我在商场……这个打印机……", agentTurn));

    [Theory]
    // 什么服务 as a reproach is a complaint marker; a 服务区 / 服务站 named while giving a location is not.
    [InlineData("c: 我在高速上 往杭州方向 那个 什么 服务区 过了 车胎爆了", false)]
    [InlineData("c: 你们那个什么服务站说不修这个,让我找你们。", false)]
    [InlineData("c: 等了三个小时没人来,你们这叫什么服务!", true)]
    public void Complaint_ShouldNotHearAPlaceAsWhatKindOfService(string customerTurn, bool complaint) =>
        Assert.Equal(complaint, Scorer.Score(CallBuilder.Call(Open, customerTurn, "a: 好的,我马上帮您安排。", "c: 好。", Close)).IsComplaint);
}
