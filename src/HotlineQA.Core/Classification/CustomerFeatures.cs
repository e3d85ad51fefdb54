namespace HotlineQA.Classification;

/// <summary>
/// The customer-state model's context vector: where the turn sits in the call (first / last / relative position —
/// thanks at the end means something else than at the start), what the agent said just before (an apology, a refusal,
/// a closing question), and a few cue groups the character n-grams learn slowly from few phone examples. Inputs are
/// normalized text. Phrase cues are features here, never a decision.
/// </summary>
public static class CustomerFeatures
{
    public const int Count = 14;

    private static readonly string[] Thanks = N("谢谢", "感谢", "多谢", "辛苦", "麻烦你了", "满意", "好评", "太好了");
    private static readonly string[] Abuse = N("他妈", "妈的", "傻逼", "废物", "垃圾", "滚", "脑子", "白痴", "蠢", "混蛋", "去死", "饭桶", "骗子", "人渣", "神经病", "操", "脑残", "狗屁");
    private static readonly string[] Waiting = N("等了", "一直", "到现在", "还没", "都没", "没人", "几次", "三次", "又", "天了", "小时了", "个月", "拖", "再等");
    private static readonly string[] Question = N("请问", "吗", "怎么", "多少", "哪", "什么时候", "能不能", "可以");
    private static readonly string[] AgentApology = N("抱歉", "对不起", "不好意思", "歉意", "谅解");
    private static readonly string[] AgentRefusal = N("没办法", "无法", "不能", "不行", "只能", "规定", "不归");
    private static readonly string[] AgentClosing = N("还有其他", "还有什么", "再见", "祝您", "满意", "评价");

    public static float[] Compute(string text, CustomerTurnContext turn) => Compute(text, TextNormalizer.Normalize(turn.PreviousAgentText), turn);

    /// <summary>As <see cref="Compute(string, CustomerTurnContext)"/>, with the agent's previous turn already normalized
    /// (<paramref name="prev"/>; a call's agent turns are normalized once, not once per customer turn after them).</summary>
    public static float[] Compute(string text, string prev, CustomerTurnContext turn)
    {
        var f = new float[Count];
        var inCall = turn.CustomerTurns > 0;
        f[0] = B(inCall);
        f[1] = B(inCall && turn.CustomerTurn == 0);
        f[2] = B(inCall && turn.CustomerTurn == turn.CustomerTurns - 1);
        f[3] = inCall && turn.CustomerTurns > 1 ? (float)turn.CustomerTurn / (turn.CustomerTurns - 1) : 0f;
        var agent = Groups(prev);
        var own = Groups(text);
        f[4] = B(prev.Length > 0);
        f[5] = B(Has(agent, GAgentApology));
        f[6] = B(Has(agent, GAgentRefusal));
        f[7] = B(Has(agent, GAgentClosing));
        f[8] = B(Has(own, GThanks));
        f[9] = B(Has(own, GAbuse));
        f[10] = B(Has(own, GWaiting));
        f[11] = B(Has(own, GQuestion));
        f[12] = Math.Min(text.Length, 100) / 100f;
        f[13] = B(text.Length <= 3);
        return f;
    }

    private static float B(bool b) => b ? 1f : 0f;

    private const int GThanks = 0, GAbuse = 1, GWaiting = 2, GQuestion = 3, GAgentApology = 4, GAgentRefusal = 5, GAgentClosing = 6;

    private static readonly CueWords Cues = new(Thanks, Abuse, Waiting, Question, AgentApology, AgentRefusal, AgentClosing);

    private static bool Has(int mask, int group) => CueWords.Has(mask, group);

    /// <summary>Bit <c>g</c> is set when some word of group <c>g</c> occurs in the text.</summary>
    private static int Groups(string text) => Cues.Find(text);

    private static string[] N(params string[] words) => words.Select(TextNormalizer.Normalize).Distinct().ToArray();
}
