namespace HotlineQA.Classification;

/// <summary>
/// Hand-named cues that the character n-grams alone learn poorly from a few thousand examples: is the apology followed
/// by an action or by a refusal (in this turn or the next agent turn)? does the agent mention policy, the system, a
/// colleague or another department, or put it on the customer? did the customer just complain? They are synonym
/// groups, so a phrasing the training set never saw still lights the same feature. All inputs are normalized text.
/// </summary>
public static class ContextFeatures
{
    public const int Count = 20;

    private static readonly string[] Apology = N("对不起", "抱歉", "不好意思", "歉意", "道歉", "见谅", "带来不便", "敬请谅解", "还请谅解", "请谅解", "请您谅解", "致歉", "请见谅", "sorry", "遗憾", "失礼", "赔不是", "过意不去", "对不住", "包涵", "海涵", "怪我们", "我们的错", "我们的失误", "我们的责任");
    private static readonly string[] Action = N(
        "帮您", "为您", "给您", "替您", "马上", "立即", "立刻", "这就", "现在就", "安排", "登记", "查询", "查一下", "查看", "核实", "核查",
        "反馈", "上报", "提交", "申请", "处理", "补发", "重发", "退款", "退还", "退回", "补偿", "赔付", "加急", "催促", "催一下", "跟进",
        "回电", "回复您", "联系您", "通知您", "派单", "派人", "上门", "转接", "记录下来", "备注", "优先", "解决", "改一下", "修改", "调整",
        "开通", "恢复", "补办", "重新", "发给您", "寄给您", "小时内", "工作日内", "天内", "分钟内", "今天之内", "明天", "稍后",
        "私信", "已为您", "已经为您", "已将", "已经将", "已经帮", "正在处理", "正在核实", "正在跟进", "转交", "记录", "专人", "工作人员会", "排查", "试一下", "尝试");
    private static readonly string[] Refusal = N(
        "没办法", "没有办法", "不能", "无法", "办不了", "做不了", "处理不了", "不行", "不可以", "不可能", "没法", "只能", "爱莫能助", "无能为力",
        "帮不了", "管不了", "退不了", "改不了", "不予", "不支持", "不受理", "等着吧", "等等吧", "再等等", "耐心等", "您谅解", "请谅解", "理解一下", "体谅");
    private static readonly string[] Policy = N("规定", "政策", "制度", "规则", "流程", "条款", "协议", "公司要求", "上面要求", "统一", "标准", "按规矩", "有要求");
    private static readonly string[] SystemWords = N("系统", "电脑", "网络", "服务器", "后台", "程序", "软件", "机器", "数据", "死机", "断网");
    private static readonly string[] Party = N(
        "同事", "部门", "那边", "他们", "仓库", "师傅", "快递", "物流", "厂家", "商家", "第三方", "银行那", "财务", "技术部", "售后", "网点",
        "营业厅", "前台", "领导", "上级", "外包", "合作方", "供应商", "配送", "施工队", "维修队", "工程部", "客服",
        "第三方", "微信", "苹果", "客户端", "服务商", "运营商", "平台", "卖家", "品牌方", "代理商");
    private static readonly string[] CustomerBlame = N(
        "您自己", "你自己", "怎么不", "没看清", "没仔细", "不早说", "谁让", "是您的问题", "您自己的问题", "您当时", "您没有按", "您操作", "您填错",
        "您弄错", "您搞错", "怪您", "您的原因", "您那边的", "您没注意", "您没看", "您没有", "个人感觉");
    private static readonly string[] Fault = N("出问题", "出错", "故障", "弄错", "搞错", "填错", "写错", "发错", "弄丢", "搞丢", "卡住", "卡了", "太慢", "很慢",
        "崩", "坏了", "毛病", "失误", "不负责", "耽误", "没处理", "不处理", "没给", "拖着", "不是我们", "不关我们", "跟我们没关系", "不是我", "那边的问题", "他们的问题", "系统的问题", "系统问题", "自己的问题", "那边的事",
        "原因", "导致", "造成", "没有关系", "没关系", "怪");
    private static readonly string[] Empathy = N(
        "理解您", "理解你", "明白您", "心情", "着急", "别急", "不着急", "换作", "换成是我", "换位", "如果是我", "谁都会", "添麻烦", "不方便", "辛苦",
        "久等", "委屈", "生气", "消气", "别慌", "失望", "不是滋味", "难熬", "窝火", "我懂", "激动", "难为", "不舒服", "同情", "遭遇", "担忧", "放心", "担心", "别着急", "不要着急", "心急", "体会", "感受", "难受", "闹心", "糟心", "烦心", "窝火", "能理解", "可以理解", "不容易");
    private static readonly string[] Complaint = N(
        "投诉", "不满意", "太差", "怎么回事", "什么破", "骗人", "霸王", "气死", "赔偿", "退钱", "领导", "又", "还是没", "一直没", "到现在", "凭什么",
        "搞什么", "太慢", "怎么还", "没人管", "算了", "无语", "垃圾", "离谱", "过分", "坑");
    private static readonly string[] Question = N("请问", "吗", "呢", "是否", "多少", "哪", "什么时候", "怎么样", "对吧", "是吧", "好吗");
    private static readonly string[] Thanks = N("谢谢", "感谢", "多谢");

    private const int GApology = 0, GAction = 1, GRefusal = 2, GPolicy = 3, GSystem = 4, GParty = 5, GCustomerBlame = 6, GFault = 7,
        GEmpathy = 8, GComplaint = 9, GQuestion = 10, GThanks = 11;

    private static readonly CueWords Cues = new(
        Apology, Action, Refusal, Policy, SystemWords, Party, CustomerBlame, Fault, Empathy, Complaint, Question, Thanks);

    /// <summary>The feature vector of one utterance; each value is 0 or 1 except the length.</summary>
    public static float[] Compute(string text, string previousCustomer, string nextAgent)
    {
        var f = new float[Count];
        var t = Groups(text);
        var next = Groups(nextAgent);
        var previous = Groups(previousCustomer);
        bool apology = Has(t, GApology), action = Has(t, GAction), refusal = Has(t, GRefusal), policy = Has(t, GPolicy);
        bool system = Has(t, GSystem), party = Has(t, GParty), fault = Has(t, GFault);
        bool nextAction = Has(next, GAction), nextRefusal = Has(next, GRefusal);
        f[0] = B(apology);
        f[1] = B(action);
        f[2] = B(refusal);
        f[3] = B(policy);
        f[4] = B(system);
        f[5] = B(party);
        f[6] = B(Has(t, GCustomerBlame));
        f[7] = B(Has(t, GEmpathy));
        f[8] = B(nextAction);
        f[9] = B(nextRefusal);
        f[10] = B(nextAgent.Length > 0);
        f[11] = B(Has(previous, GComplaint));
        f[12] = B(previousCustomer.Length > 0);
        f[13] = B(apology && !action && !nextAction);
        f[14] = B(apology && (refusal || policy) && !action);
        f[15] = B(Has(t, GQuestion));
        f[16] = Math.Min(text.Length, 80) / 80f;
        f[17] = B((system || party) && fault);
        f[18] = B(Has(t, GThanks));
        f[19] = B(apology && (action || nextAction) && !refusal);
        return f;
    }

    private static float B(bool b) => b ? 1f : 0f;

    private static bool Has(int mask, int group) => CueWords.Has(mask, group);

    /// <summary>Bit <c>g</c> is set when some word of group <c>g</c> occurs in the text.</summary>
    private static int Groups(string text) => Cues.Find(text);

    private static string[] N(params string[] words) => words.Select(TextNormalizer.Normalize).Distinct().ToArray();
}
