using HotlineQA.Scoring;

namespace HotlineQA.Tests.Scoring;

/// <summary>Readings of rubric 2026.30 (session 11) from calls of the labelled batches fa–fd that the rules misread, kept
/// general: asking for the head of the place by office is an escalation; asking which day to move a booking to is a
/// clarifying question; the system's setting given as the whole answer is a rule used not to help.</summary>
public class RubricSession11ReadingTests
{
    private const string Open = RubricSession9ReadingTests.Open, Close = RubricSession9ReadingTests.Close;
    private static string Result(string item, params string[] lines) => RubricSession9ReadingTests.Result(item, lines);

    [Theory]
    // "Where is your boss? I want to tell your boss myself": the customer takes it over the agent's head.
    [InlineData("c: 你们老板呢?这么大的事,我要直接跟你们老板说。", "fire")]
    [InlineData("c: 这事我要跟你们经理谈。", "fire")]
    [InlineData("c: 你们领导呢?叫他来接电话。", "fire")]
    // The boss named in passing is no threat.
    [InlineData("c: 上次是你们老板亲自给我装的,装得挺好。", "silent")]
    [InlineData("c: 我跟老板说过了,他让我打这个电话。", "silent")]
    public void Escalation_ShouldFireWhenTheCustomerAsksForTheHeadOfThePlace(string customerTurn, string expected) =>
        Assert.Equal(expected, Result("ESCALATION_RISK", Open, "c: 我上周录的文件坏了,打不开。", "a: 非常抱歉,我马上帮您查。", customerTurn, "a: 好的,我马上帮您处理。", Close));

    [Theory]
    // Which day to move a booking to is a question about the request (as 改到哪天 since 2026.19).
    [InlineData("a: 好的,改时间是吧。您想往后推,推到哪天比较合适?", "pass")]
    [InlineData("a: 可以的,您想挪到哪天?", "pass")]
    [InlineData("a: 可以的,我帮您改。", "fail")]
    public void Clarify_ShouldCountAskingWhichDayToMoveTo(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("CLARIFY", "a: 喂,您好,请问有什么可以帮您?", "c: 我约了周六上午上门,周六临时要出差,想改个时间。", agentTurn,
            "c: 下周三上午吧。", "a: 好的,已经给您改到下周三上午了。", "c: 好的,谢谢。", Close));

    [Theory]
    // The system's setting as the whole answer to the grievance is a rule used not to help; said while helping it is not.
    [InlineData("a: 这个确实没办法,系统就是这么设定的,谢谢您的理解。", "fail")]
    [InlineData("a: 系统就是这么设定的,不过我可以帮您申请人工减免,三个工作日内给您答复。", "pass")]
    [InlineData("a: 系统显示扣款没有成功,我现在帮您重新提交。", "pass")]
    public void Blame_ShouldReadTheSystemsSettingAsTheReasonNotToHelp(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("BLAME_SHIFTING", Open, "c: 我卡里明明有钱,你们没扣,现在还要收我滞纳金。", "a: 我理解您的心情,我帮您查一下。",
            "c: 那是你们的问题,滞纳金总不能让我出吧?", agentTurn, "c: 行吧。", Close));
}
