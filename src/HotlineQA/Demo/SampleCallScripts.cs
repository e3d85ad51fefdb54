namespace HotlineQA.Host.Demo;

/// <summary>One line of a scripted call. <paramref name="Gap"/> is the pause in seconds after the end of the previous
/// line (of either speaker); a negative gap starts this line before the previous one ends (an interruption).</summary>
public sealed record ScriptLine(string Speaker, string Text, double Gap = 0.6, bool Quiet = false);

/// <summary>A scripted call and the rubric behaviour it demonstrates (RUBRIC.md ids).</summary>
public sealed record CallScript(string Name, string Shows, IReadOnlyList<ScriptLine> Lines, double LeadSec = 0.5, double TailSec = 1.0,
    string Agent = "A1001", string Queue = "service");

/// <summary>The demo's scripted Mandarin calls: good and bad behaviour from RUBRIC.md, written from the seeds' model answers.</summary>
public static class SampleCallScripts
{
    private static ScriptLine A(string text, double gap = 0.6) => new("agent", text, gap);
    private static ScriptLine C(string text, double gap = 0.6, bool quiet = false) => new("customer", text, gap, quiet);

    public static IReadOnlyList<CallScript> All { get; } =
    [
        new("01-model-complaint", "model complaint handling: greeting, empathy, sincere apology, clarify, solution, follow-up, thanks, closing",
        [
            A("您好，这里是客服热线，很高兴为您服务，请问有什么可以帮您？"),
            C("你好，我上周报修的排气管到现在还没修好，又让我等，我真的很不满意。"),
            A("非常抱歉给您添麻烦了，我理解您的心情，换作是我也会着急的。请问您能具体说一下是哪天报修的，现在是什么情况吗？"),
            C("上周三报的修，服务站说配件没到，一直让我等，车都没法开。"),
            A("我跟您确认一下，您是上周三报修的排气管，服务站说配件没到，到现在还没修好，对吗？"),
            C("对，就是这样。"),
            A("好的，我马上为您查询配件的情况，并帮您登记加急处理。"),
            A("已经帮您登记了加急，我会把情况反馈给服务站负责人，明天上午十点前给您回电。", 0.8),
            C("好吧，那我等你们电话。"),
            A("感谢您的理解和反馈，请问还有其他可以帮您的吗？"),
            C("没有了。"),
            A("感谢您的来电，祝您生活愉快，再见。"),
        ], Agent: "A1001", Queue: "complaints"),
        new("02-perfunctory-apology", "perfunctory apologies paired with policy, bare refusals, negative end",
        [
            A("您好，欢迎致电客服中心，请问有什么可以帮您？"),
            C("我上个月被你们自动续费了会员，我根本没同意，我要退钱。"),
            A("不好意思，这是公司规定，自动续费开通以后是不能退的。"),
            C("我根本不知道开通了，你们这不是霸王条款吗？"),
            A("对不起，请您谅解，我们也没办法。"),
            C("你们就会说对不起，一点用都没有，太差了。"),
            A("抱歉，规定就是这样的。"),
            C("算了，气死了。"),
            A("感谢您的来电，再见。"),
        ], Agent: "A1002", Queue: "billing"),
        new("03-blame-shifting", "blame-shifting to the system and a colleague, no follow-up time",
        [
            A("您好，这里是宽带服务热线，请问有什么可以帮您？"),
            C("我家宽带三天前就断了，报修了两次，怎么回事，到现在还是没人来。"),
            A("哦，这个是系统又出问题了，派单没派出去。"),
            C("那我第二次报修的时候呢？"),
            A("那是别的同事弄错的，不是我这边处理的。"),
            C("那你们总得给我解决吧。"),
            A("我帮您重新登记一下，师傅会联系您。"),
            C("什么时候联系？"),
            A("这个我也说不好，您等通知吧。"),
            A("感谢您的来电，再见。", 0.8),
        ], Agent: "A1003", Queue: "broadband"),
        new("04-forbidden-phrase", "bare 喂 greeting, shirking and rude phrases, escalation threat, no closing",
        [
            A("喂，你好。"),
            C("你好，我买的空调装好第二天就不制冷了，你们管不管？"),
            A("空调坏了不归我们管，你自己去问厂家。"),
            C("我是在你们店里买的，怎么不归你们管？"),
            A("我已经说了很多遍了，听不懂吗？"),
            C("你这是什么态度，我要投诉你。"),
            A("爱投诉就投诉。"),
        ], Agent: "A1004", Queue: "after-sales"),
        new("05-hold-announced", "an inquiry with an 11 s hold, announced and thanked",
        [
            A("您好，这里是客服热线，请问有什么可以帮您？"),
            C("你好，我想查一下我这个月的话费和剩余流量，最近感觉流量用得特别快。"),
            A("好的，请问您是想了解话费的明细，还是只需要查询总额和剩余流量呢？"),
            C("先帮我查一下总额和剩余流量吧，如果流量用得太多，我再看看要不要换个套餐。"),
            A("好的，请您稍等，我帮您查一下。"),
            A("感谢您的耐心等待，您本月话费是八十六元，其中套餐费五十八元，流量包二十八元，剩余流量还有三点二个G。", 11.0),
            C("好的，那我这个月应该够用了，暂时先不换套餐了，谢谢你。"),
            A("不客气，如果以后流量不够用，您也可以随时拨打我们的热线，或者在手机营业厅里办理流量包。请问还有其他可以帮您的吗？"),
            C("没有了。"),
            A("感谢您的来电，祝您生活愉快，再见。"),
        ], Agent: "A1001", Queue: "billing"),
        new("06-silent-call", "a silent call: three prompts about 5 s apart, then the closing script",
        [
            A("您好，这里是客服热线，请问有什么可以帮您？"),
            A("您好，请问有什么可以帮您？", 5.0),
            A("您好，请问您能听到我说话吗？", 5.0),
            A("对不起，您的电话没有声音，请您换一部电话再打来，再见。", 5.0),
        ], TailSec: 1.5, Agent: "A1002", Queue: "service"),
        new("07-harassment", "an abusive caller: the agent stays civil and warns twice before ending the call",
        [
            A("您好，这里是客服热线，请问有什么可以帮您？"),
            C("哟，美女，你声音真好听，有男朋友吗？陪我聊聊天呗。"),
            A("先生您好，这里是客服热线，请问您有什么业务需要办理吗？"),
            C("少废话，老子就是无聊，你算什么东西，蠢货。"),
            A("先生，请您文明用语，如果您继续这样，我将挂断电话。"),
            C("你挂啊，你个混蛋，我知道你在哪上班，你给我等着。"),
            A("这是第二次提醒，如果您继续这样，我将挂断电话。"),
            C("滚蛋！"),
            A("我将结束本次通话，如有业务需要欢迎您再次来电，再见。"),
        ], Agent: "A1003", Queue: "service"),
        new("08-escalation-12315", "a complaint with an escalation threat (12315, media), handled well, negative end",
        [
            A("您好，这里是客服热线，请问有什么可以帮您？"),
            C("我买的手机收到就是坏的，申请退货一个星期了没人处理，我要打12315投诉你们，还要找媒体曝光。"),
            A("非常抱歉，让您久等了，我理解您的心情。"),
            A("请问您的退货申请是哪天提交的，手机具体是什么问题？", 0.4),
            C("上周一提交的，屏幕一开机就是花的。"),
            A("我马上为您查询，并帮您把退货申请升级处理，今天下班前给您回电。"),
            C("今天再没有结果，我就去消协投诉。"),
            A("好的，感谢您的耐心，我们会尽快处理，再见。"),
        ], Agent: "A1001", Queue: "complaints"),
        new("09-interrupting-agent", "an agent who interrupts three times and argues",
        [
            A("您好，这里是客服热线，请问有什么可以帮您？"),
            C("我上个月交的理赔材料，你们说十个工作日到账，现在都一个月了还没到账，我真的不明白你们到底在干什么。"),
            A("不是这样的，你听我说。", -1.6),
            C("你让我说完，我已经打了三次电话了，每次都说在审核，审核到底要审多久啊。", 0.3),
            A("你搞错了，材料是上周才补齐的。", -1.5),
            C("我第一次就交齐了，是你们自己把材料弄丢了，现在还怪我。", 0.3),
            A("这不可能，我们没有错，你怎么不早说。", -1.4),
            C("我早就说过了。"),
            A("那你再等等吧。"),
        ], Agent: "A1004", Queue: "claims"),
        new("10-overpromise", "a complaint where the agent over-promises an outcome",
        [
            A("您好，这里是快递服务热线，请问有什么可以帮您？"),
            C("我的快递显示已经签收了，可我根本没收到，都三天了。"),
            A("非常抱歉给您带来不便，我理解您的着急。"),
            A("请问您的快递是寄到家里还是快递柜，能具体说一下吗？", 0.4),
            C("寄到家里的，家里一直有人，根本没人送过来。"),
            A("我马上联系派送网点帮您查询，我保证今天一定帮您找到，百分之百没问题，您放心。"),
            C("真的吗？那我等你消息。"),
            A("好的，今天下午五点前我给您回电，感谢您的理解，祝您生活愉快，再见。"),
        ], Agent: "A1002", Queue: "delivery"),
        new("11-poor-line", "a poor line: a polite request to speak up, a confirming question, then a call-back suggestion",
        [
            A("您好，这里是客服热线，请问有什么可以帮您？"),
            C("我想问一下，宽带怎么办理。", quiet: true),
            A("对不起，您的声音太小了，请您大声一点，好吗？"),
            C("我想问一下宽带怎么办理。", quiet: true),
            A("对不起，我跟您确认一下，您是想咨询宽带办理，对吗？"),
            C("对，办宽带。", quiet: true),
            A("对不起，您的电话杂音太大，我听不清楚，请您换一部电话再打来，好吗？再见。"),
        ], Agent: "A1003", Queue: "broadband"),
        new("12-good-inquiry", "a routine request handled well (not a complaint)",
        [
            A("您好，这里是银行客服热线，请问有什么可以帮助您？"),
            C("你好，我想问一下信用卡的账单日能不能改。"),
            A("可以的，请问您是想改到每个月的哪一天呢？"),
            C("改到每个月五号吧。"),
            A("好的，我跟您确认一下，您是要把账单日改为每月五号，对吗？"),
            C("对。"),
            A("已经为您修改好了，下个月开始生效。请问还有其他可以帮您的吗？"),
            C("没有了，谢谢。"),
            A("感谢您的来电，祝您生活愉快，再见。"),
        ], Agent: "A1001", Queue: "cards"),
    ];
}
