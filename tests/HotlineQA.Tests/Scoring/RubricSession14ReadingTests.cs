using HotlineQA.TestSupport;

namespace HotlineQA.Tests.Scoring;

/// <summary>Readings of rubrics 2026.37–2026.38 (session 14): the customer who checks while still on the call and sees the fix
/// done (刷新一下就能看到 → 嗯,看到了) confirms it is solved on the call — FOLLOW_UP passes, as the labelled calls read it; a
/// lawyer or a court is an escalation as the customer's own step (我去咨询一下律师 / 法院见), not as a word of the call
/// (a legal-advice platform's 律师电话咨询, a landlord who 要起诉我).</summary>
public class RubricSession14ReadingTests
{
    private const string Open = RubricSession9ReadingTests.Open, Close = RubricSession9ReadingTests.Close;
    private static string Result(string item, params string[] lines) => RubricSession9ReadingTests.Result(item, lines);

    private const string Grievance = "c: 我年卡才用了两个月,你们门店关门装修一条短信都没有,我今天白跑了一趟,太过分了。";

    [Theory]
    // The agent asks the customer to look, the customer's next turn sees it done …
    [InlineData("a: 已经给您顺延好了,您打开小程序的会员页刷新一下就能看到。", "c: 我看看……嗯,看到了。", "pass")]
    [InlineData("a: 好了 已经转过去了 两百 你看一下", "c: 嗯 我看看 到了", "pass")]
    [InlineData("a: 三张入场证重新发到您手机上了,您看一下收到了吗?", "c: 收到了,三条都到了。", "pass")]
    // … not when the customer asks (a question), still waits, or sees something wrong …
    [InlineData("a: 已经给您顺延好了,您刷新一下看看。", "c: 那到了以后会有人通知我吗?", "fail")]
    [InlineData("a: 已经给您顺延好了,您刷新一下看看。", "c: 还没看到啊,页面上还是原来的日期。", "fail")]
    [InlineData("a: 已经给您顺延好了,您刷新一下看看。", "c: 看到了,可是日期不对。", "fail")]
    // … and not without the agent's "have a look": 到了 alone says nothing about the fix.
    [InlineData("a: 这个我记下来了,会反馈给门店。", "c: 嗯,我到了,先这样。", "fail")]
    public void FollowUp_ShouldPass_WhenTheCustomerChecksOnTheCallAndSeesItDone(string agentTurn, string customerTurn, string expected) =>
        Assert.Equal(expected, Result("FOLLOW_UP", Open, Grievance, "a: 真的很抱歉,没有提前通知您是我们做得不好,我马上帮您处理。",
            agentTurn, customerTurn, Close));

    [Fact]
    public void FollowUp_ShouldNotHearTheOpeningAccount_AsTheCheck()
    {
        // The customer's own account (收到了。…) answers the greeting, before the agent has done anything: no confirmation of a fix.
        Assert.Equal("fail", Result("FOLLOW_UP", "a: 您好,请问有什么可以帮您?您看一下订单号是多少?",
            "c: 收到了。你们同一个会员费扣了我两次,太过分了。", "a: 非常抱歉,我帮您查一下。", Close));
    }

    [Fact]
    public void FollowUp_ShouldPassTheLabelledBathhouseCall()
    {
        // hf's bathhouse annual card (labelled FOLLOW_UP pass: the extension done and seen on the call), as the pipeline scores it.
        var call = DevSet.Batch("hf", "bathhouse-branch-closed-procedure-before-empathy");
        var r = FreshBatchAgreementTests.Scorer.Score(call.Transcript);
        Assert.Equal("pass", r.Findings.Single(f => f.Item == "FOLLOW_UP").Result);
    }

    [Theory]
    // The customer's step towards a lawyer or a court …
    [InlineData("c: 你们再拖着不退,我就去咨询一下律师。", "fire")]
    [InlineData("c: 我已经问过律师了,该走的程序我会走。", "fire")]
    [InlineData("c: 那就法院见吧。", "fire")]
    [InlineData("c: 我准备起诉你们公司。", "fire")]
    [InlineData("c: 我要去法院告你们。", "fire")]
    // … not the word alone: the service booked, someone suing the customer, a question, a comparison.
    [InlineData("c: 我昨天约了你们一个律师电话咨询,到现在也没人打过来。", "silent")]
    [InlineData("c: 房东说下周就要起诉我了,我这事急着呢。", "silent")]
    [InlineData("c: 我想问问劳动仲裁要不要请律师。", "silent")]
    [InlineData("c: 师傅拧了两下就收一百五,比律师还贵。", "silent")]
    public void Escalation_ShouldHearTheCustomersStepTowardsALawyer_NotTheWord(string customerTurn, string expected) =>
        Assert.Equal(expected, Result("ESCALATION_RISK", Open, customerTurn, "a: 非常抱歉,我马上帮您查一下,今天下午五点前给您回电。",
            "c: 行,我等你电话。", Close));

    [Theory]
    // Rubric 2026.39: the harassment protocol's closing apologises for ending the call, not for the complaint (no
    // perfunctory apology, which the phrase rules would read in an apology with no help after it) …
    [InlineData("a: 对不起,由于您持续辱骂,我现在结束通话,再见。", "silent")]
    [InlineData("a: 很抱歉,由于您持续使用辱骂性语言,我现在结束通话。感谢您的来电,再见。", "silent")]
    [InlineData("a: 对不起,我先结束通话了,再见。", "silent")]
    // … a flat apology in the same place still is one.
    [InlineData("a: 对不起,这个我们也没办法,再见。", "fire")]
    public void Perfunctory_ShouldNotHearTheHarassmentClosing_AsAnApology(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("PERFUNCTORY_APOLOGY", Open, "c: 你们这车晚了两个小时,太过分了,我高铁都赶不上了,一群废物!",
            "a: 先生,请您文明用语,如果您继续辱骂,我将结束通话。", "c: 废物就是废物,骂你怎么了!", agentTurn));

    [Fact]
    public void Apology_ShouldStillHearTheApologyWithAWarningLaterInTheTurn() =>
        Assert.Equal("pass", Result("APOLOGY", Open, "c: 你们这车晚了两个小时,太过分了,我高铁都赶不上了,一群废物!",
            "a: 耽误了您的行程,我很抱歉,我现在帮您登记延误证明。如果您继续辱骂,我将结束本次通话。", "c: 行吧。", Close));
}
