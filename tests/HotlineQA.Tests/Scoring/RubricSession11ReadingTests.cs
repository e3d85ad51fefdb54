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
    // ... or brings in the company's lawyers (法务, as 律师).
    [InlineData("c: 你们要是坚持收,我就让我们公司法务跟你们谈了。", "fire")]
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

    [Theory]
    // A number asked in the same turn no longer voids the question about the request; a turn that only asks for an
    // address or a number is still no clarifying question.
    [InlineData("a: 好的,您想改到哪天?预约的手机号是多少?", "pass")]
    [InlineData("a: 好的,订单号是几位的?", "fail")]
    // When it happened, how big: 几号出生的? / 多大的狗? open a question; 看装多大的 states the price rule.
    [InlineData("a: 几号出生的?", "pass")]
    [InlineData("a: 多大的狗?", "pass")]
    [InlineData("a: 看装多大的,一百平能装十五千瓦左右。", "fail")]
    public void Clarify_ShouldReadTheQuestionNotTheNumberAskedBesideIt(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("CLARIFY", "a: 喂,您好,请问有什么可以帮您?", "c: 我想约一下上门的时间。", agentTurn,
            "c: 好的。", "a: 好的,已经给您登记了。", "c: 好的,谢谢。", Close));

    [Theory]
    // Resigned to the loss (认倒霉) ends the call unhappy; the refund it asked for (钱退了就行) does not, quitting (退了) still does.
    [InlineData("c: ……行吧,那只能我自己认倒霉了。", "fire")]
    [InlineData("c: 行吧 钱退了就行 那明天上午我等师傅", "silent")]
    [InlineData("c: 算了,这个会员我不要了,退了。", "fire")]
    public void NegativeEnd_ShouldHearResignationNotTheRefund(string lastCustomerTurn, string expected) =>
        Assert.Equal(expected, Result("NEGATIVE_END", Open, "c: 师傅装锁的时候把我家门划了两道,你们得管啊。", "a: 非常抱歉,我马上帮您登记,明天上午师傅上门处理。",
            lastCustomerTurn, "a: 好的,明天上午师傅会提前联系您,再见。"));

    [Theory]
    // 再次…抱歉 at the close repeats an earlier apology: after one that came with help it is a courtesy, after a flat one
    // the flat one fires anyway.
    [InlineData("a: 真的很抱歉让您碰到这种情况,我马上帮您提交全额退款,今天下午五点前给您回电话确认。", "silent")]
    [InlineData("a: 不好意思,规定就是这样,我们也没办法。", "fire")]
    public void Perfunctory_ShouldReadARepeatedApologyByTheFirst(string firstApology, string expected) =>
        Assert.Equal(expected, Result("PERFUNCTORY_APOLOGY", Open, "c: 我订的套餐又被多扣了六百八,我根本没买别的,你们这也太离谱了。", firstApology,
            "c: 行吧,那我等着。", "a: 好的,再次跟您说声抱歉,感谢您的来电,再见。"));

    [Theory]
    // The refusal stated as a fact of the product is a refusal: with nothing offered it fails, as 不能退 does.
    [InlineData("a: 私教课是不退款的。", "fail")]
    [InlineData("a: 差价是不可能补的,合同怎么写就怎么执行。", "fail")]
    [InlineData("a: 转让也是不行的,课时只能本人用。", "fail")]
    [InlineData("a: 私教课是不退款的,不过我可以帮您把剩下的课转给另一位教练。", "pass")]
    public void Refusal_ShouldHearTheRefusalStatedAsAFact(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("REFUSAL_ALTERNATIVE", Open, "c: 教练突然离职了,我剩下十四节课没人上,打了三次电话都没人管,太不像话了,我要退钱。", agentTurn, "c: 行吧。", Close));

    [Theory]
    // 曝光 as exposing the company is an escalation; a listing's 曝光 (its visibility) is not.
    [InlineData("c: 你们再不处理,我就找媒体曝光你们。", "fire")]
    [InlineData("c: 明白了 那降价会不会影响曝光啊 我听说降价会有提醒", "silent")]
    [InlineData("c: 改了价格以后曝光率会不会变低?", "silent")]
    public void Escalation_ShouldHearExposingNotVisibility(string customerTurn, string expected) =>
        Assert.Equal(expected, Result("ESCALATION_RISK", Open, "c: 我想问一下已经发布的东西怎么改价格。", "a: 好的,我来教您。", customerTurn, "a: 好的,我马上帮您处理。", Close));

    [Theory]
    // 说封就封 (done to them at will) ends the call unhappy; a calm request for the result does not.
    [InlineData("c: 没有了。一年多的店,说封就封,行吧。", "fire")]
    [InlineData("c: 没有了,申诉结果出来您记得发短信给我就行。", "silent")]
    public void NegativeEnd_ShouldHearActionTakenAtWill(string lastCustomerTurn, string expected) =>
        Assert.Equal(expected, Result("NEGATIVE_END", Open, "c: 我的店铺账号被封了,还有六单没发货。", "a: 非常抱歉,我帮您提交申诉,三个工作日内短信通知结果。",
            lastCustomerTurn, "a: 好的,再见。"));

    [Theory]
    // 有本事 (a dare) is forbidden; the sound-alike 有本市居住证 / 是本市户籍 (a local residence permit) is a fact asked about.
    [InlineData("a: 有本事你去投诉啊。", "fail")]
    [InlineData("a: 明白了 你是想给外地户籍 但是有本市居住证的父亲办老年优待卡 对吧", "pass")]
    [InlineData("a: 好的 请问老人家是本市户籍吗 还是外地户籍在这边常住", "pass")]
    public void Forbidden_ShouldNotHearTheLocalResidencePermitAsADare(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("FORBIDDEN_PHRASE", Open, "c: 我想给我爸办一张老年卡。", agentTurn, "c: 对。", "a: 可以办的,带上身份证和居住证去服务网点就行。", Close));
}
