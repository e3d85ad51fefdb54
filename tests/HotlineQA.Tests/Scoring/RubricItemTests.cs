using HotlineQA.Scoring;
using HotlineQA.Transcription;
using static HotlineQA.Tests.Scoring.CallBuilder;

namespace HotlineQA.Tests.Scoring;

/// <summary>Each item of RUBRIC.md A–E judged pass, fail and na (where the rubric allows na) on focused transcripts.</summary>
public class RubricItemTests
{
    internal static readonly RubricScorer Scorer = new(RubricLoader.LoadDefault());

    private const string Open = "a: 您好,顺达物流客服,请问有什么可以帮您?";
    private const string Complaint = "c: 我的包裹一个礼拜了还没送到,打了好几次电话都没人管,你们这服务也太差了!";
    private const string Close = "a: 好的,感谢您的来电,再见。";

    public static TheoryData<string, string, string[]> Cases => new()
    {
        // ---- A
        { "GREETING", "pass", [Open, "c: 我想查一下快递。", Close] },
        { "GREETING", "pass", ["a: 你好 顺达物流 请问有什么可以帮你", "c: 查快递", Close] },
        { "GREETING", "fail", ["a: 喂,你好。", "c: 我想查一下快递。", Close] },
        { "GREETING", "fail", ["a: 顺达物流。", "c: 我想查一下快递。", Close] },
        { "CLOSING", "pass", [Open, "c: 查一下快递到哪了。", "a: 已经到您所在的网点了,请问还有别的需要吗?", "c: 没了。", "a: 好的,祝您生活愉快。"] },
        { "CLOSING", "fail", [Open, "c: 查一下快递到哪了。", "a: 已经到网点了。", "c: 好。", "a: 嗯。"] },
        { "FORBIDDEN_PHRASE", "pass", [Open, "c: 查一下快递。", Close] },
        { "FORBIDDEN_PHRASE", "fail", [Open, "c: 那你们能不能帮我问问厂家?", "a: 这个不归我们管,你自己去问厂家吧。", Close] },
        { "FORBIDDEN_PHRASE", "fail", [Open, "c: 啊?你说什么?", "a: 我都说了三遍了,你烦不烦啊。", Close] },
        { "BLAME_SHIFTING", "pass", [Open, Complaint, "a: 按照规定我们需要先核实,我马上帮您查一下物流轨迹。", Close] },
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 这个是我们电脑系统老是出故障,我也没办法。", Close] },
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 那是派件的同事搞错了,跟我没什么关系。", Close] },
        // Rubric 2026.24: another party named as the one holding it up, a handover, a new system, the customer's own slip, the
        // rule as the whole answer; "不符合我们的规定,这是我们的问题" owns the fault.
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 不好意思,打款这块是财务那边负责的,财务那边一直压着没处理,您再等两天吧。", Close] },
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 抱歉,工期这块是项目部那边排的,我们客服这边也没办法。", Close] },
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 这个单子当时是小刘跟的,交接的时候她没录清楚。", Close] },
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 不是这样的,订单备注就是王建国,您是不是自己输错了?", Close] },
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 不好意思,门店装修期间会员卡照常计算有效期,这个是统一规定。", Close] },
        { "BLAME_SHIFTING", "pass", [Open, Complaint, "a: 联系您家人的做法不符合我们的规定,这是我们的问题,我马上帮您处理。", Close] },
        { "HOLD_ETIQUETTE", "na", [Open, "c: 查一下快递。", Close] },
        { "HOLD_ETIQUETTE", "pass", [Open, "c@4: 查一下快递。", "a@6-9: 好的,麻烦您稍等,我帮您查一下。", "a@21-25: 感谢您的耐心等待,查到了,明天送到。", "c@25.5-26.5: 好的。", "a@27-29: 感谢您的来电,再见。"] },
        { "HOLD_ETIQUETTE", "fail", [Open, "c@4: 查一下快递。", "a@6-9: 好的,我帮您查一下。", "a@21-25: 查到了,明天送到。", "c@25.5-26.5: 好的。", "a@27-29: 感谢您的来电,再见。"] },
        { "INTERRUPTION", "pass", [Open, "c@4-10: 我想问一下我的快递现在到哪里了,昨天就说要到。", "a@9.5-12: 我帮您查一下。", Close] },
        { "INTERRUPTION", "fail", [Open, "c@4-10: 我想问一下我的快递现在到哪里了", "a@8-11: 单号多少", "c@11.5-16: 单号我找一下,就是那个上周寄的", "a@14-17: 你就说单号", "c@17.5-22: 好好,你别急,我在找", "a@20-23: 快点", Close] },
        { "INTERRUPTION", "na", ["u: 您好,顺达物流客服,请问有什么可以帮您?", "u: 查快递", "u: 好的,感谢您的来电,再见。"] },
        { "DEAD_AIR", "pass", [Open, "c: 查一下快递。", Close] },
        { "DEAD_AIR", "fail", [Open, "c@4-6: 查一下快递。", "a@6.5-9: 请您稍等。", "a@33-36: 感谢您的耐心等待,明天送到。", "c@36.5-37.5: 好。", "a@38-40: 感谢您的来电,再见。"] },
        { "DEAD_AIR", "na", ["a@0.5-4: 您好,请问有什么可以帮您?", "a@9-11: 您好,请问有什么可以帮您?", "a@16-21: 对不起,您的电话没有声音,请您换一部电话再打来,再见。"] },
        // ---- B
        { "CLARIFY", "pass", [Open, "c: 我的快递显示签收了但是我没收到。", "a: 您是说物流显示已签收,但您本人没有拿到,对吗?", Close] },
        { "CLARIFY", "pass", [Open, "c: 我家空调不制冷了。", "a: 请问是完全不制冷,还是制冷效果变差了?", Close] },
        { "CLARIFY", "fail", [Open, "c: 我的快递显示签收了但是我没收到。", "a: 请提供一下订单号。", "c: 123456。", "a: 已经给您登记了。", Close] },
        { "CLARIFY", "na", ["a@0.5-4: 您好,请问有什么可以帮您?", "a@9-11: 您好,请问有什么可以帮您?", "a@16-21: 对不起,您的电话没有声音,请您换一部电话再打来,再见。"] },
        // ---- C
        { "EMPATHY", "pass", [Open, Complaint, "a: 等了这么久确实让人着急,我非常理解您的心情。我马上帮您查。", Close] },
        { "EMPATHY", "fail", [Open, Complaint, "a: 单号多少?", "c: 5566。", "a: 已经帮您催件了。", Close] },
        { "EMPATHY", "na", [Open, "c: 我想寄个快递。", "a: 好的,我帮您预约上门取件。", Close] },
        { "APOLOGY", "pass", [Open, Complaint, "a: 实在对不起,给您添麻烦了,我现在就帮您联系网点加急派送。", Close] },
        { "APOLOGY", "fail", [Open, Complaint, "a: 不好意思,我们都是按流程来的,这个没办法。", "c: 那怎么办?", "a: 抱歉,您只能再等等。", Close] },
        { "APOLOGY", "fail", [Open, Complaint, "a: 单号多少?", "c: 5566。", "a: 已经帮您催件了。", Close] },
        { "APOLOGY", "na", [Open, "c: 我想寄个快递。", "a: 好的,我帮您预约上门取件。", Close] },
        { "SOLUTION", "pass", [Open, Complaint, "a: 我这就给您登记加急,让网点今天派送。", Close] },
        { "SOLUTION", "fail", [Open, Complaint, "a: 这个我们也没办法,快递都是这样的。", Close] },
        { "SOLUTION", "na", [Open, "c: 你们几点下班?", "a: 晚上八点。", Close] },
        { "FOLLOW_UP", "pass", [Open, Complaint, "a: 我帮您加急处理,两小时内给您回电。", Close] },
        { "FOLLOW_UP", "fail", [Open, Complaint, "a: 我帮您登记一下,有消息会通知您。", Close] },
        { "FOLLOW_UP", "na", [Open, "c: 你们几点下班?", "a: 晚上八点。", Close] },
        { "THANKS", "pass", [Open, Complaint, "a: 我帮您加急。谢谢您的耐心和理解。", Close] },
        { "THANKS", "fail", [Open, Complaint, "a: 我帮您加急。", Close] },
        { "THANKS", "na", [Open, "c: 你们几点下班?", "a: 晚上八点。", Close] },
        { "EMOTION_FIRST", "pass", [Open, Complaint, "a: 您别着急,我马上帮您查一下。", Close] },
        { "EMOTION_FIRST", "fail", [Open, Complaint, "a: 我帮您查一下。单号多少?", "c: 5566。", "a: 让您久等了,真的很抱歉,已经帮您加急了。", Close] },
        { "EMOTION_FIRST", "na", [Open, Complaint, "a: 单号多少?", "c: 5566。", "a: 已经帮您催件了。", Close] },
        { "NO_ARGUING", "pass", [Open, Complaint, "a: 您别着急,我马上帮您查一下。", Close] },
        { "NO_ARGUING", "fail", [Open, Complaint, "a: 您记错了吧,我们从来没有说过三天送到。", Close] },
        { "NO_ARGUING", "na", [Open, "c: 你们几点下班?", "a: 不是这样的,我们全天服务。", Close] },
        { "NO_OVERPROMISE", "pass", [Open, Complaint, "a: 我帮您加急,预计明天下午送到。", Close] },
        { "NO_OVERPROMISE", "fail", [Open, Complaint, "a: 我帮您加急,百分之百明天给您送到。", Close] },
        { "NO_OVERPROMISE", "na", [Open, "c: 你们几点下班?", "a: 晚上八点,保证没问题。", Close] },
        { "REFUSAL_ALTERNATIVE", "pass", [Open, Complaint, "a: 运费这块退不了,不过我可以帮您申请一张优惠券。", Close] },
        { "REFUSAL_ALTERNATIVE", "fail", [Open, Complaint, "a: 运费这块是不能退的。", "c: 行吧。", "a: 还有其他问题吗?", Close] },
        { "REFUSAL_ALTERNATIVE", "na", [Open, Complaint, "a: 我马上帮您加急。", Close] },
        // ---- D
        { "SILENT_CALL", "pass", ["a@0.5-4: 您好,请问有什么可以帮您?", "a@9-11: 您好,请问有什么可以帮您?", "a@16-21: 对不起,您的电话没有声音,请您换一部电话再打来,再见。"] },
        { "SILENT_CALL", "fail", ["a@0.5-1: 喂?", "a@3-4: 喂,说话呀!", "a@6-8: 再不说话我就挂了。"] },
        { "SILENT_CALL", "na", [Open, "c: 查一下快递。", Close] },
        { "POOR_LINE", "pass", [Open, "c: 喂…我…快递…", "a: 对不起,您那边声音有点小,请您大声一点好吗?", "c: 我查快递。", Close] },
        { "POOR_LINE", "fail", [Open, "c: 喂…我…快递…", "a: 大点声!听不清!", "c: 我查快递。", Close] },
        { "POOR_LINE", "na", [Open, "c: 查一下快递。", Close] },
        { "HARASSMENT", "pass", [Open, "c: 美女,你声音真好听,有男朋友没?", "a: 先生,请问您有什么业务需要办理?", "c: 你几点下班,我去接你。", "a: 请您文明用语,如果您继续骚扰,我将挂断电话。", "c: 哈哈。", "a: 再见。"] },
        { "HARASSMENT", "fail", [Open, "c: 你们这帮废物!", "a: 您说什么?", "c: 老子说你们是废物,听不懂吗?"] },
        { "HARASSMENT", "na", [Open, Complaint, "a: 您别着急,我马上帮您查一下。", Close] },
        // a lone character matches exactly only: 税/岁 are not the harassment marker 睡, 建 is not 贱; USB is not sb
        { "HARASSMENT", "na", [Open, "c: 我想问一下退税,我今年二十岁,个税app上显示审核中。", "a: 好的,请问您是哪个月申请的?", "c: 三月,建行卡收款,是不是要带USB盾去柜台?", Close] },
        { "FOLLOW_UP", "fail", [Open, Complaint, "a: 上周三已经派过师傅了,我再给您登记一次,会尽快安排。", Close] },
        { "FOLLOW_UP", "pass", [Open, Complaint, "a: 我已经标了加急,明天中午前我再跟进一下网点的进度,给您回个话。", Close] },
        { "FOLLOW_UP", "pass", [Open, Complaint, "a: 查到了,款项漏发了,已经给您补上了,您刷新一下看看。", "c: 到了。", Close] },
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 这种情况肯定是您自己安装的时候接错了,跟产品没关系。", Close] },
        { "NO_ARGUING", "fail", [Open, Complaint, "a: 您要这么说,我没法跟您沟通了,随便您去哪投诉吧。", Close] },
        { "CLARIFY", "pass", [Open, "c: 我家热水器一开就报警。", "a: 这个报警是用了多久开始出现的?平时洗澡的时候也响吗?", Close] },
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 这单是仓库那边没按时出库,他们一向这样,我们也催不动。", Close] },
        { "BLAME_SHIFTING", "fail", [Open, Complaint, "a: 接您电话的是新来的同事,登记漏了也难免。", Close] },
        { "THANKS", "pass", [Open, Complaint, "a: 我这就给您加急派送。也谢谢您告诉我们这个情况。", Close] },
        { "APOLOGY", "pass", [Open, Complaint, "a: 这次真是对不住您,我现在就给网点打电话,让快递员今天下午送到。", Close] },
        { "REFUSAL_ALTERNATIVE", "fail", [Open, Complaint, "a: 退钱是不可能的,合同写得很清楚。", "c: 那我怎么办?", "a: 合同就是这样。", Close] },
        { "FORBIDDEN_PHRASE", "fail", ["a@0.5-4: 您好,请问有什么可以帮您?", "a@6-8: 喂?喂?", "a@9-11: 还不吭声我可就挂了。"] },
        // family words are not oaths: 爸妈的 and 你妈妈 hold 妈的 and 你妈
        { "FORBIDDEN_PHRASE", "pass", [Open, "c: 我想给我妈寄个东西。", "a: 好的,可以委托你妈妈签收,当爸妈的都会着急,我帮您备注一下。", Close] },
        { "FORBIDDEN_PHRASE", "fail", [Open, "c: 你们怎么还没送到?", "a: 妈的,催什么催。", Close] },
        { "FORBIDDEN_PHRASE", "fail", [Open, Complaint, "a: 您要去投诉就去吧,我们都是按规定来的。", Close] },
        // a refused refund is not a solution
        { "SOLUTION", "fail", [Open, Complaint, "a: 退费不行的,合同上写着呢。", Close] },
        { "NO_ARGUING", "fail", [Open, Complaint, "a: 不可能多收的,我们都是一项一项算的。", Close] },
        { "FORBIDDEN_PHRASE", "fail", [Open, Complaint, "a: 您这么懂,那您自己跟网点谈去吧。", Close] },
        { "FORBIDDEN_PHRASE", "fail", [Open, Complaint, "a: 我也就是个接电话的,这事轮不到我来管。", Close] },
        // restating what the customer reported a clerk said is not the agent being rude
        { "FORBIDDEN_PHRASE", "pass", [Open, "c: 门店的人说不关他的事,让我自己去找厂家。", "a: 您是说门店让您自己去找厂家,对吗?我帮您登记投诉。", Close] },
        // Rubric 2026.19 (batch-cb, batch-cn): asking a caller on a noisy line to speak up is not the order 大声一点!, and
        // 听得很清楚了 (the line is fine now) is not 说得很清楚了 one character off; scolding 你说话客气点 still is.
        { "FORBIDDEN_PHRASE", "pass", [Open, "c: 喂…快递…", "a: 对不起,您那边杂音比较大,麻烦您说话稍微大声一点,好吗?", "c: 现在呢?", "a: 现在听得很清楚了,谢谢您。请问您要查哪个快递?", Close] },
        { "FORBIDDEN_PHRASE", "fail", [Open, Complaint, "a: 你说话客气点,骂人解决不了问题。", Close] },
        { "FORBIDDEN_PHRASE", "fail", [Open, Complaint, "a: 我刚才已经说得很清楚了。", Close] },
        // Rubric 2026.20: "I have told THEM many times" is blame (BLAME_SHIFTING's), not impatience with the customer.
        { "FORBIDDEN_PHRASE", "pass", [Open, Complaint, "a: 这个是食堂那边的刷卡机太老了,跟他们说了多少次了一直不换。", Close] },
        { "FORBIDDEN_PHRASE", "fail", [Open, Complaint, "a: 我都跟您说了多少次了,就是要等。", Close] },
        // Rubric 2026.19 (batch-cn): harassment without an oath, heard through the agent naming it twice.
        { "HARASSMENT", "pass", [Open, "c: 美女,你声音这么甜,自己整过没有啊?说给哥听听。", "a: 先生,请您注意言辞。如果您继续说与业务无关的内容,我将挂断电话。", "c: 哟,还挺凶,装什么装。", "a: 这是第二次提醒您,您的言语已经对我造成了骚扰,我现在将结束通话。", "a: 再见。"] },
        { "HARASSMENT", "na", [Open, Complaint, "a: 请您文明用语,我这边正在帮您处理。", "a: 我马上帮您查一下物流。", Close] },
        { "BLAME_SHIFTING", "pass", [Open, "c: 扫地机器人一直叫。", "a: 您别担心,这不是机器坏了,是滤网满了,我教您清理一下。", Close] },
        { "REFUSAL_ALTERNATIVE", "fail", [Open, Complaint, "a: 这个我们这边代替不了。", "c: 那怎么办?", "a: 流程就是这样,我们也没有别的办法。", Close] },
        // issue 13 readings (docs/rubric-authoring.md): instructions that fix it are a solution ("explains the options")
        { "SOLUTION", "pass", [Open, "c: 你们这个机顶盒怎么回事,一开机就卡死,气死我了。", "a: 您先长按电源键十秒,等指示灯变红再松开,重新开机试试。", Close] },
        { "SOLUTION", "pass", [Open, "c: 你们这个app怎么回事,一直登录不上,气死我了。", "a: 您可以在设置里面清除一下缓存再登录。", Close] },
        // ... and an apology followed by them is sincere
        { "APOLOGY", "pass", [Open, "c: 你们这个app怎么回事,一直登录不上,气死我了。", "a: 非常抱歉,您可以在设置里面清除一下缓存再登录。", Close] },
        // "we'll deal with it as soon as possible" names no step: a holding statement, not a solution
        { "SOLUTION", "fail", [Open, Complaint, "a: 我们会尽快处理的,请您耐心等待。", Close] },
        // the customer's own confirmation on the call that it works counts as "confirmed solved on the call"
        { "FOLLOW_UP", "pass", [Open, "c: 你们这个app怎么回事,一直登录不上,气死我了。", "a: 您先把app卸载,重新安装一下试试。", "c: 好的,可以了,谢谢。", Close] },
        // ... unless the customer says later that it still is not
        { "FOLLOW_UP", "fail", [Open, "c: 你们这个app怎么回事,一直登录不上,气死我了。", "a: 您先把app卸载,重新安装一下试试。", "c: 可以了。", "a: 好的。", "c: 哎,又不行了,还是登录不上。", Close] },
        // ... and the agent's "已经解决了" is void when the customer then says it still does not work
        { "FOLLOW_UP", "pass", [Open, "c: 你们这个app怎么回事,一直登录不上,气死我了。", "a: 我这边帮您重置了账号,问题已经解决了。", "c: 嗯。", Close] },
        { "FOLLOW_UP", "fail", [Open, "c: 你们这个app怎么回事,一直登录不上,气死我了。", "a: 我这边帮您重置了账号,问题已经解决了。", "c: 还是不行啊,还是登录不上。", Close] },
        // ... and a customer's "可以了吗?" or "还不可以" is no confirmation
        { "FOLLOW_UP", "fail", [Open, "c: 你们这个app怎么回事,一直登录不上,气死我了。", "a: 您先把app卸载,重新安装一下试试。", "c: 这样就可以了吗?", Close] },
        // a question about the situation clarifies; the offer of help, "anything else?", a rhetorical check or a number do not
        { "CLARIFY", "pass", [Open, "c: 我的手机一开微信就弹出游戏界面,关都关不掉。", "a: 您之前是否下载过什么游戏呢?", Close] },
        { "CLARIFY", "fail", [Open, "c: 我的手机一开微信就弹出游戏界面。", "a: 您的手机号码是多少呢?", "c: 13800000000。", "a: 已经给您登记了,还有别的问题吗?", "c: 没了。", "a: 听明白了吗?", Close] },
        // Rubric 2026.19: a short question about the request itself (几位 / 改到哪天 / 多大了 / 什么时候换的) clarifies it; a
        // statement with 哪 (the folded text joins 那 and 哪) and a question for a number do not.
        { "CLARIFY", "pass", [Open, "c: 我想订周六中午的包间。", "a: 几位?", "c: 八个人。", "a: 行,给您订好了。", Close] },
        { "CLARIFY", "pass", [Open, "c: 我原来约的周六提车,想改个时间。", "a: 好的,您想改到哪天?", "c: 下周二。", "a: 已经给您改好了。", Close] },
        { "CLARIFY", "pass", [Open, "c: 电表换了以后电费翻了一倍。", "a: 换表是什么时候换的", "c: 上个月。", "a: 我帮您登记核查。", Close] },
        { "CLARIFY", "fail", [Open, "c: 我充值的那家店关门了,卡还能用吗?", "a: 卡是全国门店通用的,不是充在哪一家店的,您去别的门店一样可以用。", Close] },
        { "SOLUTION", "pass", [Open, "c: 你们这个闹钟怎么回事,不能按天设置,太不方便了。", "a: 在闹钟设定界面下方点击重复,选择按日期设置即可。", Close] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score_ShouldJudgeItem_WhenGivenAFocusedTranscript(string item, string expected, string[] lines)
    {
        var channels = lines.Any(l => l.StartsWith('u')) ? 1 : 2;
        var result = Scorer.Score(Build(channels, lines));
        var finding = Assert.Single(result.Findings, f => f.Item == item);
        Assert.True(expected == finding.Result, $"{item}: expected {expected}, got {finding.Result} ({finding.Reason}) on\n{string.Join("\n", lines)}");
        if (finding.Result == "fail") Assert.NotEmpty(finding.Evidence);
    }

    [Fact]
    public void Score_ShouldMakeHarassmentCritical_WhenTheAgentSwearsBack()
    {
        var r = Scorer.Score(Call(Open, "c: 你们他妈的都是骗子!", "a: 你嘴巴放干净点。", "c: 一群垃圾!", "a: 你他妈才是垃圾!"));
        var f = Assert.Single(r.Findings, x => x.Item == "HARASSMENT");
        Assert.Equal(("fail", "critical"), (f.Result, f.Severity));
        Assert.True(r.Score <= 59 && r.Flagged);
    }

    public static TheoryData<string, string[]> Signals => new()
    {
        { "ESCALATION_RISK", [Open, "c: 你们再不处理我就去消协反映,还要找媒体曝光。", "a: 我马上帮您处理。", Close] },
        { "NEGATIVE_END", [Open, Complaint, "a: 我帮您催一下。", "c: 算了,跟你们说也没用。", "a: 再见。"] },
        { "NEGATIVE_END", [Open, Complaint, "a: 我帮您催一下。", "c: 行,你们就这态度,有本事别让我再打进来。", "a: 再见。"] },
        // the last words that say something count: a bare 没了 after "anything else?" does not hide them
        { "NEGATIVE_END", [Open, Complaint, "a: 我帮您登记一下。", "c: 登记有什么用,上次登记完了也没人管。", "a: 还有别的事吗?", "c: 没了。", "a: 再见。"] },
        { "PERFUNCTORY_APOLOGY", [Open, Complaint, "a: 抱歉,公司规定就是这样,我们也没有办法。", "c: 那怎么办?", "a: 您再等等吧。", Close] },
    };

    [Theory]
    [MemberData(nameof(Signals))]
    public void Score_ShouldFireSignalAndFlag_WhenTheCallShowsIt(string signal, string[] lines)
    {
        var r = Scorer.Score(Call(lines));
        var f = Assert.Single(r.Findings, x => x.Item == signal);
        Assert.Equal("fire", f.Result);
        Assert.NotEmpty(f.Evidence);
        Assert.True(r.Flagged);
        Assert.Contains(signal, r.FlagReasons);
    }

    [Fact]
    public void Score_ShouldReadAComplaint_WhenTheCustomerReportsANuisanceInPlainWords()
    {
        // No 投诉 or 不满意: a nuisance reported, its toll and its duration, then resignation — a complaint by meaning.
        var r = Scorer.Score(Call("a: 您好,市民热线,请问有什么可以帮您?", "c: 我想反映个事,楼下烧烤店油烟天天往我家窗户里灌,孩子熏得睡不着,都快半个月了。",
            "a: 您说的是楼下烧烤店的油烟影响到您家,对吗?我给您登记转环保部门。", "c: 登记完了我还得接着忍多久啊?", Close));
        Assert.True(r.IsComplaint);
        var neutral = Scorer.Score(Call(Open, "c: 我想问一下寄到北京要几天?", "a: 一般两天。", Close));
        Assert.False(neutral.IsComplaint);
    }

    [Fact]
    public void Score_ShouldFireNoSignal_WhenTheCallIsClean()
    {
        var r = Scorer.Score(Call(Open, "c: 我想查一下快递。", "a: 好的,请问是国内件还是国际件?", "c: 国内的。", "a: 好的,您的快递明天上午送到。", "c: 好的谢谢。", Close));
        Assert.DoesNotContain(r.Findings, f => f.Result == "fire");
        Assert.False(r.Flagged);
        Assert.Equal(100, r.Score);
    }

    [Fact]
    public void Score_ShouldComputeWeightsAndCap_AsRubricSays()
    {
        // GREETING (major) fails, CLOSING (minor) fails; DEAD_AIR, FORBIDDEN (critical, 0), BLAME (major), CLARIFY pass.
        var r = Scorer.Score(Call("a: 顺达物流。", "c: 我想查一下快递。", "a: 请问是国内件还是国际件?", "c: 国内。", "a: 明天到。"));
        var applicable = r.Findings.Where(f => f.Result is "pass" or "fail").ToList();
        var weight = (Finding f) => f.Severity switch { "major" => 3.0, "minor" => 1.0, _ => 0.0 };
        var expected = Math.Round(100 * applicable.Where(f => f.Result == "pass").Sum(weight) / applicable.Sum(weight), 1);
        Assert.Equal(expected, r.Score);
        Assert.Contains("SCORE_BELOW_70", r.FlagReasons);

        var critical = Scorer.Score(Call(Open, "c: 查一下快递。", "a: 你烦不烦,自己去网点问。", Close));
        Assert.True(critical.Score <= 59);
        Assert.Contains("FORBIDDEN_PHRASE", critical.FlagReasons);
    }

    [Fact]
    public void Score_ShouldInferRolesAndLowerConfidence_WhenSpeakersAreUnknownOnMono()
    {
        var t = Mono("u: 您好,顺达物流客服,请问有什么可以帮您?", "u: 我查个快递。", "u: 好的,感谢您的来电,再见。");
        var r = Scorer.Score(t);
        var greeting = Assert.Single(r.Findings, f => f.Item == "GREETING");
        Assert.Equal("pass", greeting.Result);
        Assert.Equal("agent", greeting.Evidence[0].Speaker);
        Assert.True(greeting.Confidence < 0.9);
        Assert.Equal("na", r.Findings.Single(f => f.Item == "INTERRUPTION").Result);
    }

    [Fact]
    public void Score_ShouldMatchTraditionalHomophoneAndFuzzyText_WhenTheTranscriptIsRawAsr()
    {
        // Traditional characters, no punctuation, 你 for 您, 在见 for 再见, 稍後 for 稍后.
        var r = Scorer.Score(Call("a: 你好 順達物流客服 請問有什麼可以幫你", "c: 查快递", "a: 好的 请你稍等 我帮你查一下", "a: 感谢你的来电 在见"));
        Assert.Equal("pass", r.Findings.Single(f => f.Item == "GREETING").Result);
        var closing = r.Findings.Single(f => f.Item == "CLOSING");
        Assert.Equal("pass", closing.Result);
    }

    [Fact]
    public void Score_ShouldUseTheAudioTimeline_WhenOneIsGiven()
    {
        var t = Call(Open, "c: 查一下快递。", Close);
        var timeline = new HotlineQA.Audio.AudioAnalysis
        {
            DurationSec = 60, Channels = 2, SampleRate = 8000,
            Speech = [new() { Speaker = "agent", Start = 0.5, End = 4 }],
            Silences = [new(4, 40)],
        };
        var r = Scorer.Score(t, timeline);
        Assert.Equal("fail", r.Findings.Single(f => f.Item == "DEAD_AIR").Result);
        Assert.Equal("pass", Scorer.Score(t).Findings.Single(f => f.Item == "DEAD_AIR").Result);
    }
}

public class RubricPolicyTests
{
    [Theory]
    [InlineData("a: 根据公司规定,超过七天是不能退货的,不过我可以帮您申请换货。", "pass")]
    [InlineData("a: 公司规定就是这样,超过七天不能退,我也没办法。", "fail")]
    public void Score_ShouldTellPolicyWhileHelpingFromPolicyAsExcuse_WhenAgentCitesARule(string agentTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 这鞋穿了一次就开胶了,质量太差了,我要退货!", agentTurn, "a: 感谢您的来电,再见。"));
        Assert.Equal(expected, r.Findings.Single(f => f.Item == "BLAME_SHIFTING").Result);
    }
}

public class RubricHoldTests
{
    [Fact]
    public void Score_ShouldNotCountAPauseTheCustomerAskedFor_WhenJudgingHoldEtiquette()
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c@4-8: 我要挂失银行卡,您稍等,我去拿一下卡。", "c@20-23: 好了,卡号我念一下。", "a@23.5-26: 好的,请说。", "a@27-29: 感谢您的来电,再见。"));
        Assert.Equal("na", r.Findings.Single(f => f.Item == "HOLD_ETIQUETTE").Result);
    }
}

public class RubricFuzzyTests
{
    [Fact]
    public void Score_ShouldMatchWithOneEditAndLowerConfidence_WhenAPhraseHasAnAsrSlip()
    {
        // Rubric literal 不是您说的那样; ASR heard 讲 for 说 (one substitution).
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 你们又把我的话费扣错了,太离谱了!", "a: 不是您讲的那样,这个月是套餐费。", "a: 感谢您的来电,再见。"));
        var f = r.Findings.Single(x => x.Item == "NO_ARGUING");
        Assert.Equal("fail", f.Result);
        Assert.Equal(0.7, f.Confidence, 2);
    }

    [Fact]
    public void Score_ShouldNotMatchFuzzily_WhenTheEditWouldFlipANegation()
    {
        // 是我们的问题 (owning the fault) is one deletion away from 不是我们的问题 (arguing).
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 你们又把我的话费扣错了,太离谱了!", "a: 确实是我们的问题,我马上帮您退回。", "a: 感谢您的来电,再见。"));
        Assert.Equal("pass", r.Findings.Single(x => x.Item == "NO_ARGUING").Result);
    }
}

/// <summary>Rubrics 2026.7–2026.9 (issue 13, session 5): readings corrected after the first measurements of batches k–l, m–n and o–p.</summary>
public class RubricSession5ReadingTests
{
    private const string Open = "a: 您好,请问有什么可以帮您?";
    private const string Close = "a: 感谢您的来电,再见。";

    [Theory]
    // The head of the place the customer will go to: a threat of escalation, as 找你们领导.
    [InlineData("c: 八点要是还没个说法,我就直接去找你们园长了。", "fire")]
    [InlineData("c: 你们再不管,我就去找你们校长。", "fire")]
    // 告到 inside 报告到 (punctuation and spaces are dropped): a report that is late is no threat.
    [InlineData("c: 说三个工作日出报告 到今天都五天了 还是查不到。", "silent")]
    [InlineData("c: 再不解决我就告到法院去。", "fire")]
    // Rubric 2026.20: 上传 (an upload the customer was told to make) then 网上 in the next sentence is no post for others
    // to see; posting it still is.
    [InlineData("c: 短信说照片审核不通过,让我重新上传。网上报名中午就截止了,这不是为难人吗?", "silent")]
    [InlineData("c: 你们再不处理,我就把视频传到网上去。", "fire")]
    // Rubric 2026.23: a complaint made against the caller (a driver, a seller) is no threat of theirs.
    [InlineData("c: 账号被封了,说是有乘客投诉我危险驾驶,我一家子就指着这个吃饭呢。", "silent")]
    [InlineData("c: 行了,跟你说不通,投诉我也照样投。", "fire")]
    public void Escalation_ShouldFireOnAThreatOnly(string customerTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, customerTurn, "a: 我马上帮您处理。", Close));
        // A signal that does not fire leaves no finding.
        Assert.Equal(expected, r.Findings.SingleOrDefault(f => f.Item == "ESCALATION_RISK")?.Result ?? "silent");
    }

    [Theory]
    // The cost to the customer acknowledged counts as empathy; a closing courtesy that mentions time does not.
    [InlineData("a: 确实让您等太久了,我马上帮您催财务。", "pass")]
    [InlineData("a: 让您白跑了一趟,我马上给您重新派单。", "pass")]
    [InlineData("a: 两次都让您白等,确实太耽误您时间了,我马上给您重新派单。", "pass")]
    [InlineData("a: 好的,我马上给您重新派单,不耽误您时间了。", "fail")]
    public void Empathy_ShouldHearTheCustomersCostAcknowledged(string agentTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, "c: 你们约好上午来收,又没人来,我请了半天假在家等,太过分了!", agentTurn, Close));
        Assert.Equal(expected, r.Findings.Single(f => f.Item == "EMPATHY").Result);
    }

    [Theory]
    // An abusive caller who is still at it after the two warnings leaves negative, whatever the words; one who
    // apologises or thanks at the end calmed down (rubric 2026.8, harassmentEnds + the calm slot).
    [InlineData("c: 你挂试试!", "fire")]
    [InlineData("c: 切,装什么正经。", "fire")]
    [InlineData("c: 对不起,我刚才太激动了,谢谢你。", "silent")]
    public void NegativeEnd_ShouldHearHowAnAbusiveCallerLeaves(string lastTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open,
            "c: 你们他妈的什么破公司,押金拖了一个月还不退!",
            "a: 我理解您很着急,请您文明用语,我马上帮您查。如果您继续辱骂,我将结束通话。",
            "c: 查个屁,你个傻逼,赶紧退钱!",
            "a: 这是第二次提醒您,请文明用语。退款我已经提交加急,明天下午到账。现在我将结束本次通话,再见。",
            lastTurn));
        Assert.Equal(expected, r.Findings.SingleOrDefault(f => f.Item == "NEGATIVE_END")?.Result ?? "silent");
    }

    internal static readonly RubricScorer WithModels =
        new(RubricLoader.LoadDefault(), HotlineQA.Classification.MlNetUtteranceClassifier.Load(null), CustomerStateReader.Default());

    [Fact]
    public void ComplaintGate_ShouldOpen_WhenTheAgentAcknowledgesTheCostOfACalmlyToldFault()
    {
        // A calm account of a missed appointment; the agent neither apologises nor is asked to: rubric 2026.9's
        // complaint.acknowledged (确实太耽误事了) with the model's reading of the opening makes it a complaint call.
        const string opening = "c: 我前天约了今天上午装空调,九点到十二点。我专门请了半天假在家等,等到十二点半人也没来,打师傅电话也不接。我下午还得回单位。";
        var acknowledged = WithModels.Score(CallBuilder.Call(Open, opening, "a: 让您请了假在家白等一上午,确实太耽误事了。我马上帮您查一下。", "c: 好。", Close));
        Assert.True(acknowledged.IsComplaint);
        Assert.Contains(acknowledged.ComplaintEvidence, e => e.Utterance == 1);
        // The closing courtesy 不耽误您时间了 is no acknowledgement of a fault: an enquiry stays an enquiry.
        var enquiry = WithModels.Score(CallBuilder.Call(Open, "c: 我想问一下,空调安装一般要提前几天预约?", "a: 提前一天在小程序上预约就可以。", "c: 好的,谢谢。", "a: 不客气,那就不耽误您时间了,再见。"));
        Assert.False(enquiry.IsComplaint);
    }
}

/// <summary>Readings added in session 6 (rubrics 2026.11–2026.14), each from misread calls of the labelled batches, kept general:
/// a question about the situation in any of the forms agents use counts as clarifying; a reproach, a check that the
/// customer understood, "anything else?" and a question only for a number do not.</summary>
public class RubricSession6ReadingTests
{
    private const string Open = "a: 您好,请问有什么可以帮您?";
    private const string Close = "a: 感谢您的来电,再见。";

    [Theory]
    // The problem put back as a yes/no question; the situation stated back with a confirming tag.
    [InlineData("a: 您是想问直播课回放的问题吗?", "pass")]
    [InlineData("a: 您是上周四下午做的胸部平扫CT,对吗?", "pass")]
    [InlineData("a: 您两次预约的都是上门收运,一张床垫、一个双门衣柜,对吧?", "pass")]
    // 确认下 as 确认一下; a number asked for later in the same turn does not void the confirmation.
    [InlineData("a: 我跟您确认下,是今天上午八点的订单,车到现在还没到,对吗?麻烦您报一下下单手机号。", "pass")]
    // What, which, when; a yes/no question about what happened.
    [InlineData("a: 您下单的时候填的是几楼?", "pass")]
    [InlineData("a: 请问您的锁是什么型号的?最近有没有收到过低电量提醒?", "pass")]
    [InlineData("a: 请问宝宝的户口已经上好了吗?", "pass")]
    // Not clarifying: only a number; a reproach; "anything else?"; a check that the customer understood.
    [InlineData("a: 我跟您确认一下您的手机号。", "fail")]
    [InlineData("a: 您当时有疑问怎么不早说呢?", "fail")]
    [InlineData("a: 我已经跟你说得很清楚了,你听不懂吗?", "fail")]
    [InlineData("a: 好的,已经给您提交了,还有其他问题吗?", "fail")]
    [InlineData("a: 我这么说您明白了对吧?", "fail")]
    public void Clarify_ShouldHearAQuestionAboutTheSituation(string agentTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, "c: 我的东西坏了,一直没人来修。", agentTurn, "c: 嗯。", Close));
        Assert.Equal(expected, r.Findings.Single(f => f.Item == "CLARIFY").Result);
    }

    [Theory]
    // A feeling named as anyone's or as certain is an acknowledgement (2026.12); a feeling waved away is not.
    [InlineData("a: 钱扣了东西没到,搁谁都窝火,我马上帮您查。", "pass")]
    [InlineData("a: 花钱出去玩一趟被换成购物,换作是谁心里都不痛快,我马上帮您登记。", "pass")]
    [InlineData("a: 您着急是肯定的,我马上帮您催。", "pass")]
    [InlineData("a: 这确实太扫兴了,我马上帮您处理。", "pass")]
    [InlineData("a: 理解理解,我马上帮您查。", "pass")]
    [InlineData("a: 您不用担心,我马上帮您查。", "fail")]
    [InlineData("a: 我马上帮您查,肯定能到。", "fail")]
    public void Empathy_ShouldHearAFeelingNamedAsAnyonesOrCertain(string agentTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, "c: 你们约好上午来收,又没人来,我请了半天假在家等,太过分了!", agentTurn, Close));
        Assert.Equal(expected, r.Findings.Single(f => f.Item == "EMPATHY").Result);
    }

    [Theory]
    // 还没 describes where things stand (还没发货吧, 还没拆封) — not a repeated failure; it is no complaint marker (2026.12).
    [InlineData("c: 我上周订的单车还没发货吧?我想改一下收货地址。", "c: 改到我公司吧。", false)]
    [InlineData("c: 电饭煲还没拆封,想退掉,跨境的东西是不是退起来很麻烦?", "c: 那运费谁出啊?", false)]
    [InlineData("c: 修了两次又坏了,到底怎么回事?", "c: 我都请了三天假了。", true)]
    public void ComplaintGate_ShouldNotTakeWhereThingsStandForAComplaint(string first, string second, bool complaint)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, first, "a: 好的,我帮您查一下。", second, "a: 已经帮您处理好了。", Close));
        Assert.Equal(complaint, r.IsComplaint);
    }

    [Theory]
    // The system or another party named as the one who did it, as the reason the agent can do nothing (2026.13);
    // the same fact told while helping is no blame.
    [InlineData("a: 不好意思,超时费是系统自动扣的,我们这边退不了。", "fail")]
    [InlineData("a: 抱歉,配送都是物流公司安排的,具体几点到我们这边定不了。", "fail")]
    [InlineData("a: 这是银行统一的规定,我们这边也没有办法。", "fail")]
    [InlineData("a: 超时费是系统自动扣的,我这边马上帮您申请退回。", "pass")]
    public void Blame_ShouldHearAnotherPartyGivenAsTheReasonNothingCanBeDone(string agentTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, "c: 我的快递放柜子里才一天就扣了我超时费,怎么回事?", agentTurn, Close));
        Assert.Equal(expected, r.Findings.Single(f => f.Item == "BLAME_SHIFTING").Result);
    }

    [Theory]
    // A customer who asks for the agent's ID number leaves meaning to complain (2026.13; 7 of 7 labelled calls).
    [InlineData("c: 好,你工号多少?", "fire")]
    [InlineData("c: 好的,谢谢你。", "silent")]
    public void NegativeEnd_ShouldHearTheAgentsIdAskedFor(string lastTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, "c: 上个月多扣了我五十块。", "a: 这个退不了。", lastTurn, Close));
        Assert.Equal(expected, r.Findings.SingleOrDefault(f => f.Item == "NEGATIVE_END")?.Result ?? "silent");
    }

    [Fact]
    public void Forbidden_ShouldNotHearAnOathInTheCustomersMother()
    {
        // 你妈妈的情况 (your mother's condition) holds 妈的 after 妈: no oath (2026.14).
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, "c: 我想问一下入住的事。", "a: 你妈妈的情况入住评估的时候会定下来。", Close));
        Assert.Equal("pass", r.Findings.Single(f => f.Item == "FORBIDDEN_PHRASE").Result);
    }

    [Theory]
    // A manager promised to call back, reported, is no threat to escalate; asking for the manager is (2026.14).
    [InlineData("c: 我上礼拜打电话问,说是让负责人回我,到现在也没人回。", "silent")]
    [InlineData("c: 你做不了主就让你们负责人来跟我说。", "fire")]
    public void Escalation_ShouldNotHearAReportedCallbackAsAThreat(string customerTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, customerTurn, "a: 我马上帮您处理。", Close));
        Assert.Equal(expected, r.Findings.SingleOrDefault(f => f.Item == "ESCALATION_RISK")?.Result ?? "silent");
    }

    [Theory]
    // 等着看 is a threat when it is about what the company will do, not when the customer waits to see the money back.
    [InlineData("c: 说了半天一点用没有,我等着看你们怎么处理。", "fire")]
    [InlineData("c: 行,那我等着看钱回来。", "silent")]
    public void NegativeEnd_ShouldHearWaitingToSeeAsAThreatOnlyAboutTheCompany(string lastTurn, string expected)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, "c: 上个月多扣了我五十块。", "a: 我帮您申请退款,三个工作日到账。", lastTurn, Close));
        Assert.Equal(expected, r.Findings.SingleOrDefault(f => f.Item == "NEGATIVE_END")?.Result ?? "silent");
    }
}

/// <summary>Readings added in session 7 (rubric 2026.17), from misread calls of the labelled batches, kept general: a refusal
/// in the "V不了" and "没法 V" forms agents use; offering to check ("看能不能…") is no refusal; restating the customer's
/// symptom (开不了机) is none either.</summary>
public class RubricSession7ReadingTests
{
    private const string Open = "a: 您好,请问有什么可以帮您?";
    private const string Close = "a: 感谢您的来电,再见。";
    private const string Grievance = "c: 你们凭什么扣我八百块?我根本没有违约,太不合理了。";

    [Theory]
    // Refusals in the forms agents use, with no alternative: a bare refusal fails.
    [InlineData("a: 这个八百的扣款取消不了。", "fail")]
    [InlineData("a: 核查结果出来之前,借书证没办法解冻。", "fail")]
    [InlineData("a: 店员怎么说的我们这边核实不了,保修是做不了的。", "fail")]
    [InlineData("a: 有合约就是不能转。", "fail")]
    // The same refusal softened by an alternative passes.
    [InlineData("a: 这个八百的扣款取消不了,不过我可以帮您申请一张补偿券。", "pass")]
    // Offering to check is no refusal; nor is restating the customer's symptom.
    [InlineData("a: 我帮您查一下这笔扣款能不能全额退。", "na")]
    [InlineData("a: 手表升级完开不了机,确实太糟心了,我先帮您看一下。", "na")]
    public void RefusalAlternative_ShouldHearRefusalsInTheFormsAgentsUse(string agentTurn, string expected) =>
        Assert.Equal(expected, ResultAfterGrievance(agentTurn, "REFUSAL_ALTERNATIVE"));

    [Theory]
    // A span ahead, as a range or "after", then the promised contact or action (2026.18).
    [InlineData("a: 我已经给您提交了退款,三到五个工作日原路退回,到账会有短信通知。", "pass")]
    [InlineData("a: 半小时后我这边再给您回个电话确认一下。", "pass")]
    [InlineData("a: 桌面要重新切,大概十五个工作日,到了以后安排师傅上门给您换。", "pass")]
    // A wait already suffered is no commitment.
    [InlineData("a: 您等了三天还没到账,确实太着急了,我帮您查一下。", "fail")]
    [InlineData("a: 都两个礼拜了还没回复您,这是我们的问题。", "fail")]
    public void FollowUp_ShouldHearASpanAheadInTheFormsAgentsUse(string agentTurn, string expected) =>
        Assert.Equal(expected, ResultAfterGrievance(agentTurn, "FOLLOW_UP"));

    /// <summary>The item's result on a complaint call where the agent answers the grievance with <paramref name="agentTurn"/>.</summary>
    private static string ResultAfterGrievance(string agentTurn, string item)
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(Open, Grievance, agentTurn, "c: 那好吧。", Close));
        Assert.True(r.IsComplaint);
        return r.Findings.Single(f => f.Item == item).Result;
    }
}
