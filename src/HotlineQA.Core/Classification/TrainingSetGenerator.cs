using System.Text;

namespace HotlineQA.Classification;

/// <summary>
/// Reproducible generator of labelled agent utterances: phrase families (apologies, actions, refusals, policies,
/// blame of the system / colleagues / departments / the customer, empathy, neutral service talk) combined per domain,
/// with the hard contrasts of seed 001 and RUBRIC.md (apology + policy + action vs apology + policy + nothing; policy
/// while helping vs policy as the excuse; the system mentioned vs the system blamed), and ASR-style noise.
/// Same seed → same list, so the model is reproducible from the repository.
/// </summary>
public static class TrainingSetGenerator
{
    private sealed record Domain(string Name, string[] Complaints, string[] Actions, string[] Info, string[] Policies, string[] Refusals, string[] Faults, string[] Parties);

    private static readonly Domain[] Domains =
    [
        new("telecom",
            ["我这个月话费怎么多扣了五十块", "你们信号太差了打电话老断", "我根本没开这个业务凭什么扣钱", "流量明明没用完怎么就停机了", "我都打了三次电话了还是没人处理"],
            ["我马上帮您查一下这个月的扣费明细", "我这边先帮您把这个增值业务退订掉", "多扣的费用我给您申请退回到话费账户", "我帮您提交一个信号投诉工单,技术人员两天内联系您", "我现在就帮您恢复开机", "我给您登记一下,会有专人在24小时内回电"],
            ["您这个套餐每月包含三十G流量", "超出部分是按每G五元收取的", "这个业务是上个月十号开通的", "目前您的账户余额是二十三元", "您所在的小区基站正在扩容"],
            ["按照规定,业务退订要本人来办理", "套餐变更是次月生效的", "公司规定退费只能退到话费账户", "按流程需要先核实机主身份"],
            ["这个费用退不了", "这个业务没办法给您取消", "信号的问题我们这边处理不了", "现在没法给您开机"],
            ["系统扣费出错了", "基站那边出故障了", "计费系统又出问题了"],
            ["营业厅", "技术部门", "计费部门", "网络部", "装维师傅"]),
        new("broadband",
            ["我家宽带又断了,报修三天了都没人来", "网速慢得要死晚上根本用不了", "装宽带约好了今天怎么没人来", "师傅来修了一次这才两天又不行了"],
            ["我马上帮您催一下维修师傅", "我给您加急派单,师傅今天下午六点前联系您", "我帮您远程重启一下端口", "我这边给您登记报修,两小时内会有师傅回电", "断网这几天的费用我帮您申请减免"],
            ["维修一般是按报修顺序安排的", "您这个地址属于城东片区", "晚上高峰期网速会有波动", "光猫重启以后大概需要两分钟"],
            ["按规定维修是按顺序排的", "公司规定上门时间只能在工作时间", "减免费用需要走审批流程"],
            ["现在没办法给您插队", "今天肯定上不了门了", "网费没法给您退", "这个我们也催不动"],
            ["派单系统出问题了", "上一个师傅没弄好", "装维那边一直没接单"],
            ["装维师傅", "维修部", "工程部", "施工队", "片区的同事"]),
        new("banking",
            ["我的卡怎么突然被冻结了", "我信用卡年费怎么扣了我都不知道", "转账两天了钱还没到账", "你们自动扣款扣了两次"],
            ["我马上帮您查一下这笔交易的状态", "我这边先帮您提交年费减免申请", "重复扣的那笔我给您发起退款,三到五个工作日到账", "我帮您把冻结原因查清楚,再告诉您怎么解冻", "我给您登记一个加急处理,今天下班前给您回电"],
            ["这张卡的年费是三百元", "跨行转账一般在两小时内到账", "您的卡是因为密码输错三次被锁定的", "这个月的账单日是每月五号"],
            ["按照监管规定,解冻需要本人带身份证到网点", "规定大额转账需要二十四小时的审核", "按银行规定年费是开卡满一年收取的"],
            ["年费不能退", "这个冻结我们电话里解不了", "利息没办法给您免", "这个手续费退不了"],
            ["系统升级导致延迟", "核心系统出错了", "柜台的同事操作错了"],
            ["网点", "柜台", "风控部门", "信用卡中心", "清算中心"]),
        new("ecommerce",
            ["我买的东西物流显示签收了可是我根本没收到", "发来的货是坏的", "退款申请提交一个礼拜了还没退", "我要的是黑色你们发成白色了"],
            ["我马上帮您查一下物流轨迹", "我这边给您登记补发一件,按新地址发", "退款我现在就帮您加急处理,今天之内到账", "我帮您申请换货,快递明天上门取件", "我给您补偿一张二十元的无门槛券"],
            ["您的订单是上周五发货的", "退款会原路退回到您的支付账户", "这件商品支持七天无理由退货", "包裹目前在派送站点"],
            ["按平台规定签收后要在四十八小时内反馈", "退货流程需要先寄回商品", "规定拆封后的商品不支持无理由退货"],
            ["这个退不了", "已经签收了就没办法了", "不能给您换", "赠品没办法补"],
            ["仓库发错货了", "快递员自己签收的", "系统下单出错了", "商家那边不发货"],
            ["仓库", "快递公司", "物流", "商家", "售后部门", "配送站"]),
        new("utilities",
            ["我家这个月电费怎么翻倍了", "小区停水一天了也没通知", "燃气表坏了报修了没人来", "你们抄表是不是抄错了"],
            ["我帮您查一下这个月的抄表记录", "我给您安排师傅上门校验电表,三个工作日内联系您", "我马上联系抢修队,问清楚来水时间", "送水车我这边已经帮您安排了,一小时内到", "我给您登记一下,如果晚上八点还没恢复我们主动回电给您"],
            ["本月用电量是六百一十二度", "超过第二档的部分电价会高一些", "今天上午主管道爆管了", "燃气表的更换是免费的"],
            ["按照阶梯电价的规定,超出部分价格要高一些", "规定燃气维修要先预约", "按流程校表需要三个工作日"],
            ["电费没法给您减", "今天修不好", "抄表数据改不了", "停水补偿这边给不了"],
            ["抄表员抄错了", "管网那边没及时通知", "营收系统出错了"],
            ["抢修队", "抄表员", "营业所", "管网所", "供电所"]),
        new("insurance",
            ["我的理赔报上去一个月了还没结果", "定损员约好了怎么没来", "我车险续保怎么贵了这么多", "你们理赔材料让我交了三次"],
            ["我马上帮您查一下理赔进度", "我给您催一下定损员,今天下午之前联系您", "我帮您把缺的材料清单发到您手机上", "我给您提交加急理赔申请,三个工作日内给您答复", "保费的计算明细我现在给您逐项说明"],
            ["您的案件目前在审核环节", "续保保费和去年的出险次数有关", "理赔款会打到您登记的银行卡"],
            ["按照条款规定,这种情况需要提供事故证明", "理赔要走审核流程", "按规定定损要在报案后四十八小时内完成"],
            ["这个不在保障范围内", "打车费没办法给您报销", "条款里没有的我们不能赔", "现在没法加快"],
            ["定损员那边没去", "核赔的同事还没处理", "理赔系统出问题了"],
            ["定损员", "核赔部门", "理赔部", "合作修理厂", "查勘员"]),
        new("transport",
            ["航班取消了也没人通知我", "我的行李托运丢了", "退票手续费怎么这么高", "火车改签为什么不行"],
            ["我马上帮您查一下行李的去向", "我这边先帮您改签到下一班航班", "我给您登记行李丢失,二十四小时内给您回复", "我帮您申请退还手续费", "我给您安排今晚的酒店"],
            ["这趟航班因为天气原因取消了", "退票手续费按距离起飞时间收取", "改签只能改一次"],
            ["按照规定,起飞前两小时内退票收取百分之二十", "按规定特价票不能改签", "行李赔偿有标准"],
            ["手续费退不了", "特价票没办法改签", "酒店这个我们不能安排", "延误补偿给不了"],
            ["地勤的同事漏通知了", "行李系统出错了", "机场那边弄丢的"],
            ["地勤", "机场", "行李部门", "票务中心", "代理商"]),
        new("government",
            ["我反映的问题一个多月了还没人管", "楼下工地半夜施工吵得睡不着", "路灯坏了好几个月都没修", "社保转移办了好几次都没办成"],
            ["我马上帮您把情况登记转给属地街道", "我这边给您生成工单,五个工作日内会有答复", "我帮您催办一下,要求承办单位今天联系您", "我把您反映的夜间施工问题转给城管,今晚就去现场", "我给您记录下来,办结以后会短信通知您"],
            ["您的工单目前由区住建局承办", "社保转移需要转出地和转入地都确认", "这个问题属于街道的职责范围"],
            ["按照规定,工单办理时限是十五个工作日", "按流程需要先由街道核实", "政策规定需要本人申请"],
            ["我们只负责记录没办法处理", "这个我们管不了", "超出时限了不能受理", "现场我们去不了"],
            ["街道那边一直拖着", "承办单位没处理", "上一个接线员没登记"],
            ["街道", "承办单位", "城管", "住建局", "社保局"]),
        new("aftersales",
            ["我的车修了三次还是那个毛病", "收割机坏在地里了等了一天没人来", "空调装了一个月就不制冷了", "冰箱约好了送货怎么没来"],
            ["我马上给您派服务站最近的师傅,两小时内到现场", "我帮您申请上门检测,费用我们来承担", "我这边给您登记换新,明天上午安排送货", "我帮您联系厂家技术支持,今天给您回电"],
            ["这台机器还在保修期内", "配件要从总部调货", "师傅目前在您附近的另一户"],
            ["按照三包规定,需要检测后才能换新", "保修规定人为损坏不在范围内", "规定外出服务按里程收费"],
            ["这个不能换新", "今天派不了师傅", "配件没有了没办法", "里程费不能免"],
            ["服务站那边没派人", "配件部门没发货", "送货师傅记错地址了"],
            ["服务站", "厂家", "配件部门", "送货师傅", "总部"]),
    ];

    // Apologies that carry feeling, and flat ones; both appear in both labels: the label comes from what follows.
    private static readonly string[] Apologies =
    [
        "非常抱歉", "真的非常抱歉", "实在抱歉", "很抱歉给您带来不便", "给您带来不便,非常抱歉", "对不起", "真是对不起", "实在不好意思",
        "不好意思", "抱歉", "让您久等了,非常抱歉", "这件事我们确实做得不好,向您道歉", "我代表公司向您致歉", "我们深表歉意",
        "这是我们的失误,真的很抱歉", "给您添麻烦了,实在对不起", "耽误您时间了,非常抱歉", "真不好意思让您跑了好几趟", "很抱歉让您遇到这样的事",
        "先跟您说声对不起", "这个情况真的很抱歉", "非常抱歉让您这么着急", "首先向您道个歉", "抱歉抱歉", "深感抱歉",
        "实在对不住", "对不住了", "这事怪我们,对不起", "是我们的错,非常抱歉", "很遗憾给您造成了损失", "让您白跑一趟,真不好意思", "给您添堵了,抱歉",
    ];
    private static readonly string[] FlatApologies = ["不好意思", "抱歉", "对不起", "那不好意思了", "那只能说声抱歉了", "不好意思啊", "抱歉哈", "对不起啊", "sorry", "对不住", "很遗憾", "您多包涵", "哎,不好意思"];
    private static readonly string[] Empathies =
    [
        "我理解您的心情", "您别着急", "您先别着急", "换作是我也会着急", "遇到这种事谁都会生气", "我非常理解您现在的感受", "确实让您久等了",
        "这么多天没解决,换谁都会着急", "您的心情我完全能理解", "辛苦您了", "这确实太不方便了", "我能体会您的难处", "您先消消气",
        "听得出来您很着急", "您的担心我明白", "碰到这种情况确实很闹心", "家里老人孩子都等着,确实不容易", "您放心", "我明白您的意思,这事搁谁身上都不好受",
        "您这么说我能理解", "让您操心了", "先别慌,慢慢说", "您先别太激动,我们慢慢说", "真是难为您了", "换谁碰到这种情况心里都不舒服", "我明白这件事让您很失望", "听您这么说我心里也不是滋味", "这种事搁谁身上都窝火", "大热天的确实难熬", "我懂您的意思", "让您这么来回折腾,确实不应该", "请您不要着急", "请您先别生气", "您的心情我们是能理解的", "亲,别着急哦",
        "我们非常理解您的心情", "您的感受我们非常重视", "您先别担心", "等了这么久确实让人着急",
    ];
    private static readonly string[] GenericActions =
    [
        "我马上为您查询", "我这就帮您登记", "我帮您反馈给负责的同事,两小时内给您回电", "我现在就给您处理", "我帮您提交加急工单",
        "我这边马上核实一下,稍后给您答复", "我给您记录下来并跟进到底,明天上午给您回复", "我立即帮您联系相关部门处理", "请您稍等,我帮您查一下",
        "我给您申请一下补偿", "我来跟进这件事,处理好了第一时间通知您", "我帮您升级处理,今天之内给您结果",
        "请您私信提供一下手机号码和联系电话,我们为您转交工作人员核查", "麻烦您提供一下订单号,我马上为您核实", "请您留个联系电话,我们核实后尽快回复您",
        "我已经把您的问题记录下来转交相关部门核查,会尽快给您回复", "我这边帮您催促一下,有进展马上告诉您", "您的问题我们已经安排专人跟进,请您留意来电",
        "请问是从什么时候开始的?我帮您排查一下", "您先试着重启一下设备,如果还不行我给您派人上门",
    ];
    // Corporate boilerplate: promises to the world, nothing for this customer. After an apology it is perfunctory.
    private static readonly string[] Boilerplate =
    [
        "我们会不断改进服务质量", "我司会不断完善网络覆盖", "我们会加强员工培训", "感谢您的理解和支持", "请您继续关注", "感谢您的监督",
        "我们会认真研究您的建议", "我们会努力做得更好", "后续会逐步优化", "请您耐心等待", "请您留意后续通知", "希望得到您的谅解",
        "敬请谅解", "还请您谅解", "网络建设需要一定的时间", "我们也在积极推进",
    ];
    private static readonly string[] ApologyFormulas = ["给您带来不便敬请谅解", "不便之处还请谅解", "给您带来不便请见谅", "如有不便敬请谅解", "给您带来的不便深表歉意"];
    private static readonly string[] FollowUps = ["有结果我第一时间打给您", "处理好以后会短信通知您", "明天上午十点前给您回电", "四十八小时内一定给您答复", "您留一个方便联系的电话"];
    private static readonly string[] GenericPolicies = ["这是公司规定", "公司规定就是这样", "这是我们的流程", "制度就是这么定的", "规定是统一的", "按规定只能这样", "上面就是这么要求的", "这是条款里写明的"];
    private static readonly string[] GenericRefusals =
    [
        "我们也没办法", "这个我这边处理不了", "请您谅解", "请您理解一下", "您只能再等等", "您耐心等着吧", "我也没有办法", "这个真的做不了",
        "您再等一等吧", "我们这边也是无能为力", "只能这样了", "这个我们帮不了您", "没有别的办法", "您就别为难我了", "您多包涵", "您多理解", "这事我们也很难办", "什么时候能好我也不知道",
    ];
    private static readonly string[] PolicyExcuseBlame =
    [
        "公司规定就是这样,我也没办法", "规定就是规定,谁来都一样", "这是公司的规定,跟我说也没用", "上面定的规矩,我们只是执行", "政策就是这样,您找谁都没用",
        "制度不是我定的,您别冲我来", "流程就是这样走的,我改不了", "这是总部的规定,我们做不了主",
    ];
    private static readonly string[] SystemBlame =
    [
        "系统又出问题了", "我们这系统天天卡", "电脑太慢了,一直刷不出来", "系统老是出错,不是我们的问题", "这都是系统的毛病", "又是系统故障,我们也没办法",
        "系统抽风了", "后台数据出错了,跟我们没关系", "这破系统又崩了", "网络太差了,查不了", "又是电脑死机了,今天真倒霉", "系统自动扣的,我们人工也查不到", "电脑又断网了,您明天再打吧",
    ];
    private static readonly string[] ColleagueBlame =
    [
        "那是别的同事弄错的", "上一个接电话的同事没给您登记", "这是之前那个客服没处理好", "是我们同事工作失误,不关我的事", "那个师傅自己没去,我也不知道",
        "之前跟您说的那个人已经离职了", "是值班的同事漏掉了", "这是新来的同事搞错了",
    ];
    private static readonly string[] DepartmentBlame =
    [
        "这是{p}的问题,不是我们的责任", "{p}一直没处理,我们也催不动", "都是{p}弄错的", "{p}那边拖着不办,我有什么办法", "这事得怪{p},跟我们客服没关系",
        "是{p}没通知到,不是我们的问题", "{p}那边工作没做好", "{p}的人不负责",
    ];
    private static readonly string[] CustomerBlame =
    [
        "这是您自己的问题", "您当时怎么不看清楚", "谁让您不早说", "是您自己操作错了", "您自己填错了地址,怪不了我们", "您当时签字的时候就应该看清楚",
        "这是您没有按要求操作造成的", "您自己没注意短信通知", "您怎么不早点打电话", "是您自己没交材料", "这明明是您自己弄坏的", "这个要怪您自己没仔细看合同",
    ];
    private static readonly string[] NeutralGeneric =
    [
        "您好,请问有什么可以帮您", "您好,很高兴为您服务", "请问您的手机号码是多少", "麻烦您提供一下订单号", "请问还有其他可以帮您的吗", "感谢您的来电,再见",
        "祝您生活愉快,再见", "好的,我跟您确认一下", "您是说上周三开始出现的,对吗", "请您稍等,我查询一下", "感谢您的耐心等待", "好的,已经为您登记好了",
        "请问是什么时候出现这个情况的", "能具体说一下是什么问题吗", "您看这样可以吗", "好的,明白了", "请问您是机主本人吗", "还需要您提供一下身份证后四位",
        "对不起,您的电话没有声音,请您换一部电话再打来,再见", "对不起,我这边听不太清楚,请您大声一点好吗", "不好意思,麻烦您再说一遍您的地址",
        "不好意思,打扰一下,请问您现在方便接听吗", "如果您继续这样说,我将挂断电话", "您好,这里是客服中心,请问有什么可以帮您", "谢谢您的反馈",
        "嗯,好的", "喂,您好,请讲", "您的问题我已经记录下来了", "那我先给您说一下办理流程", "短信已经发到您手机上了,请注意查收",
    ];
    private static readonly string[] NeutralSystem =
    [
        "我在系统里帮您查一下", "系统显示您的包裹已经到了网点", "我这边系统里看到您的工单已经受理了", "系统会在办理成功后发短信给您", "我在系统里给您做个备注",
        "系统显示这笔款项已经退回", "您可以在手机APP上自助查询", "系统正在查询,请您稍等", "我已经在后台给您提交了",
    ];
    private static readonly string[] NeutralParty =
    [
        "我帮您转接到{p},他们会专门处理", "我把情况反馈给{p},两个工作日内给您回复", "这个需要{p}来确认,我帮您联系", "{p}的同事会在今天下午联系您",
        "我已经跟{p}核实过了,正在处理", "我把您的诉求转给{p},他们会跟进", "我让负责的同事直接给您回电",
    ];
    private static readonly string[] Fillers = ["嗯", "那个", "呃", "就是", "这个", "啊", "嗯嗯", "好的"];

    public static List<LabelledUtterance> Generate(int seed = ClassifierTraining.Seed, int perClass = 800)
    {
        var rng = new Random(seed);
        var list = new List<LabelledUtterance>(perClass * 5);
        for (var i = 0; i < perClass; i++)
        {
            list.Add(Sincere(rng));
            list.Add(Perfunctory(rng));
            list.Add(Blame(rng));
            list.Add(EmpathyExample(rng));
            list.Add(NeutralExample(rng));
        }
        return list;
    }

    private static LabelledUtterance Sincere(Random r)
    {
        var d = Pick(r, Domains);
        var parts = new List<string>();
        var shape = r.Next(10);
        if (r.Next(3) == 0) parts.Add(Pick(r, Empathies));
        parts.Add(r.Next(8) == 0 ? Pick(r, ApologyFormulas) : Pick(r, Apologies));
        if (shape < 2) parts.Add(Pick(r, d.Policies)); // the hard contrast: apology + policy + action is still sincere
        else if (shape < 4) parts.Add(Pick(r, d.Info));
        else if (shape == 4) parts.Add(Pick(r, d.Faults).Replace("出问题了", "出了问题") + ",这是我们的责任");
        parts.Add(r.Next(3) == 0 ? Pick(r, GenericActions) : Pick(r, d.Actions));
        if (r.Next(2) == 0) parts.Add(Pick(r, FollowUps));
        if (r.Next(8) == 0)
        {
            // A bare apology whose help comes in the next agent turn (context decides).
            return Make(r, UtteranceLabels.SincereApology, [Pick(r, Apologies)], d, next: Pick(r, d.Actions));
        }
        return Make(r, UtteranceLabels.SincereApology, parts, d, next: r.Next(4) == 0 ? Pick(r, FollowUps) : null);
    }

    private static LabelledUtterance Perfunctory(Random r)
    {
        var d = Pick(r, Domains);
        var apology = r.Next(2) == 0 ? Pick(r, FlatApologies) : Pick(r, Apologies);
        var parts = new List<string> { apology };
        switch (r.Next(12))
        {
            case 0: parts.Add(Pick(r, GenericPolicies)); parts.Add(Pick(r, GenericRefusals)); break;
            case 1: parts.Add(Pick(r, d.Policies)); if (r.Next(2) == 0) parts.Add(Pick(r, GenericRefusals)); break;
            case 2: parts.Add(Pick(r, d.Refusals)); if (r.Next(2) == 0) parts.Add(Pick(r, GenericRefusals)); break;
            case 3: parts.Add(Pick(r, GenericRefusals)); break;
            case 4: parts.Add(Pick(r, Apologies)); if (r.Next(2) == 0) parts.Add(Pick(r, FlatApologies)); break; // apologies repeated, nothing done
            case 5: parts.Add(Pick(r, d.Info)); parts.Add(Pick(r, GenericRefusals)); break;
            case 6: parts.Insert(0, Pick(r, Empathies)); parts.Add(Pick(r, d.Refusals)); break; // feeling words, still no help
            case 7: parts.Add(Pick(r, d.Policies)); parts.Add(Pick(r, d.Refusals)); break;
            case 8: parts.Add(Pick(r, Boilerplate)); if (r.Next(2) == 0) parts.Add(Pick(r, Boilerplate)); break;
            case 9: parts[0] = Pick(r, ApologyFormulas); parts.Insert(0, Pick(r, r.Next(2) == 0 ? d.Info : d.Refusals)); break;
            case 10: parts.Insert(0, Pick(r, d.Info)); parts.Add(Pick(r, Boilerplate)); break;
            default:
                return Make(r, UtteranceLabels.PerfunctoryApology, [Pick(r, Apologies)], d, next: Pick(r, d.Refusals) + "," + Pick(r, GenericRefusals));
        }
        return Make(r, UtteranceLabels.PerfunctoryApology, parts, d, next: r.Next(4) == 0 ? Pick(r, GenericRefusals) : null);
    }

    private static LabelledUtterance Blame(Random r)
    {
        var d = Pick(r, Domains);
        var parts = new List<string>();
        var kind = r.Next(9);
        if (kind != 4 && r.Next(4) == 0) parts.Add(Pick(r, FlatApologies));
        switch (kind)
        {
            case 0: parts.Add(Pick(r, SystemBlame)); break;
            case 1: parts.Add(Pick(r, ColleagueBlame)); break;
            case 2: parts.Add(Pick(r, DepartmentBlame).Replace("{p}", Pick(r, d.Parties))); break;
            case 3: parts.Add(Pick(r, CustomerBlame)); break;
            case 4: parts.Add(Pick(r, PolicyExcuseBlame)); break;
            case 5: parts.Add("这是" + Pick(r, d.Faults) + "," + Pick(r, ["不是我们的问题", "跟我们没关系", "我们也没办法", "您找他们去"])); break;
            case 6: parts.Add(Pick(r, ["不是的", "这个跟我们没有关系", "这个不怪我们", "这不是我们造成的", "您别冲我发火"]) + "," + Pick(r, ["是系统的问题", "应该是您自己没操作对", "是" + Pick(r, d.Parties) + "那边搞的", "是您自己没看通知", "是" + Pick(r, d.Parties) + "的责任"])); break;
            case 7:
                // Fault put on a third party or the customer's side, with no help: the Weibo-helpdesk form of blame.
                parts.Add(Pick(r, ["这个是", "应该是", "这个应该是", "可能是", "这是", "主要是"]) + Pick(r, ["第三方软件", "对方平台", "厂家", "运营商那边", "银行那边", "快递公司", "服务商的服务器", "客户端本身", "您的手机", "您那边的网络", "您自己的设置", "个人感觉", "商家", "微信", "苹果系统", "浏览器", "您用的配件", "第三方应用"]) + Pick(r, ["的原因", "的问题", "导致的", "造成的"]));
                if (r.Next(2) == 0) parts.Add(Pick(r, ["跟我们没关系", "不是我们这边的问题", "我们这边是正常的", "我们也管不了", "您去问问他们吧", "确实会这样"]));
                break;
            default: parts.Add(Pick(r, ["这个事情不是我们单方面引起的", "说实话这事我们也是受害者", "我们也是被" + Pick(r, d.Parties) + "坑了", "本来好好的,都是" + Pick(r, d.Parties) + "弄的"])); break;
        }
        var tail = r.Next(5);
        if (tail == 0) parts.Add(Pick(r, GenericRefusals));
        else if (tail == 1) parts.Add(Pick(r, d.Refusals));
        else if (tail == 2) parts.Add(Pick(r, GenericActions)); // blaming while helping is still blaming
        return Make(r, UtteranceLabels.BlameShifting, parts, d);
    }

    private static LabelledUtterance EmpathyExample(Random r)
    {
        var d = Pick(r, Domains);
        var parts = new List<string> { Pick(r, Empathies) };
        if (r.Next(3) == 0) parts.Add(Pick(r, Empathies));
        switch (r.Next(5))
        {
            case 0: parts.Add(Pick(r, d.Actions)); break;
            case 1: parts.Add(Pick(r, GenericActions)); break;
            case 2: parts.Add(Pick(r, ["请问是什么时候开始的", "能具体跟我说一下情况吗", "请问是整个小区都这样吗", "您是说一直没收到,对吗", "麻烦您提供一下订单号"])); break;
            case 3: parts.Add(Pick(r, d.Info)); break;
            default: break;
        }
        return Make(r, UtteranceLabels.Empathy, parts, d);
    }

    private static LabelledUtterance NeutralExample(Random r)
    {
        var d = Pick(r, Domains);
        var parts = new List<string>();
        switch (r.Next(12))
        {
            case 0: parts.Add(Pick(r, NeutralGeneric)); break;
            case 1: parts.Add(Pick(r, d.Info)); break;
            case 2: parts.Add(Pick(r, d.Policies)); parts.Add(Pick(r, d.Actions)); break; // policy stated while helping
            case 3: parts.Add(Pick(r, NeutralSystem)); break;
            case 4: parts.Add(Pick(r, NeutralParty).Replace("{p}", Pick(r, d.Parties))); break;
            case 5: parts.Add(Pick(r, d.Actions)); if (r.Next(2) == 0) parts.Add(Pick(r, FollowUps)); break;
            case 6: parts.Add(Pick(r, d.Info)); parts.Add(Pick(r, d.Policies)); parts.Add("您看需要我帮您办理吗"); break;
            case 7: parts.Add(Pick(r, d.Policies)); parts.Add(Pick(r, ["不过我可以先帮您登记", "我先帮您把材料清单发过去", "我这边先帮您预约", "您看这样行吗"])); break;
            case 8: parts.Add(Pick(r, GenericActions)); break;
            case 10:
                // Diagnosis with a fix: names a cause, blames nobody.
                parts.Add(Pick(r, ["可能是", "有可能是", "一般是", "应该是"]) + Pick(r, ["缓存太多", "信号不稳定", "设置不对", "软件版本太旧", "路由器长时间没重启", "卡没插好", "后台程序太多"]) + Pick(r, ["导致的", "造成的", "的原因"]));
                parts.Add(Pick(r, ["您重启一下试试", "建议您清除一下缓存再试", "您升级到最新版本看看", "您把卡拔出来重新插一下", "如果还不行我帮您报修"]));
                break;
            case 9: parts.Add(Pick(r, d.Info)); parts.Add(Pick(r, ["感谢您的理解和支持", "请您留意短信通知", "谢谢您的反馈", "请您关注"])); break;
            default: parts.Add(Pick(r, NeutralGeneric)); parts.Add(Pick(r, d.Info)); break;
        }
        return Make(r, UtteranceLabels.Neutral, parts, d);
    }

    private static LabelledUtterance Make(Random r, string label, IReadOnlyList<string> parts, Domain d, string? next = null)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0) sb.Append(r.Next(4) == 0 ? "。" : ",");
            if (r.Next(12) == 0) sb.Append(Pick(r, Fillers)).Append(',');
            sb.Append(parts[i]);
        }
        sb.Append(r.Next(3) == 0 ? "。" : "");
        var text = Register(r, sb.ToString());
        var previous = r.Next(3) == 0 ? Pick(r, d.Complaints) : null;
        return new LabelledUtterance(label, text, previous, next, "generated:" + d.Name);
    }

    // Spoken/ASR and Weibo-helpdesk registers, so the model does not rely on punctuation or 您.
    private static string Register(Random r, string text)
    {
        var roll = r.Next(10);
        if (roll < 3) return AsrNoise(r, text);
        if (roll == 3) return "亲," + text.TrimEnd('。') + Pick(r, ["哦", "哈", "呢", "~", "哒", ""]);
        return text;
    }

    private static readonly (string From, string To)[] Traditional = [("这", "這"), ("个", "個"), ("们", "們"), ("为", "為"), ("时", "時"), ("来", "來"), ("问", "問"), ("题", "題"), ("电", "電"), ("话", "話"), ("说", "說"), ("查", "查"), ("处", "處"), ("理", "理"), ("务", "務"), ("帮", "幫"), ("后", "後"), ("给", "給"), ("没", "沒"), ("办", "辦")];

    private static string AsrNoise(Random r, string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (c is ',' or '。' or ',' or '?' or '?') { if (r.Next(3) == 0) sb.Append(' '); continue; }
            sb.Append(c);
        }
        var s = sb.ToString();
        if (r.Next(2) == 0) s = s.Replace("您", "你");
        if (r.Next(3) == 0) s = s.Replace("再", "在");
        if (r.Next(3) == 0) s = s.Replace("账", "帐");
        if (r.Next(3) == 0)
        {
            var (from, to) = Pick(r, Traditional);
            var at = s.IndexOf(from, StringComparison.Ordinal);
            if (at >= 0) s = s[..at] + to + s[(at + from.Length)..];
        }
        return s;
    }

    private static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];
}
