using HotlineQA.Classification;
using HotlineQA.Scoring;
using HotlineQA.Transcription;
using static HotlineQA.Tests.Scoring.CallBuilder;

namespace HotlineQA.Tests.Scoring;

/// <summary>
/// How the rubric reads the customer model's probabilities beside the phrases (complaint gate, complaint evidence,
/// NEGATIVE_END, ESCALATION_RISK, customerSentiment). The model here is a table of readings per customer line, so each
/// test states exactly what the model said; the trained model's own quality is measured by its benches and tests.
/// </summary>
public class CustomerModelScoringTests
{
    private const string Open = "a: 您好,请问有什么可以帮您?";
    private const string Close = "a: 感谢您的来电,再见。";

    /// <summary>Readings by customer text; a customer line not in the table reads neutral.</summary>
    /// <param name="ending">The ending model's P(the customer leaves unhappy) for the last customer turn; null = no ending model.</param>
    private sealed class TableModel(Dictionary<string, (double Complaint, double Dissatisfaction, double Sentiment)> table, double? ending = null, double? callComplaint = null) : ICustomerModel
    {
        public CustomerReading Read(IReadOnlyList<Utterance> utterances)
        {
            var turns = new List<CustomerTurnReading>();
            for (var i = 0; i < utterances.Count; i++)
            {
                if (utterances[i].Speaker != Speakers.Customer) continue;
                var (c, d, s) = table.GetValueOrDefault(utterances[i].Text, (0.02, 0.05, 0.1));
                turns.Add(new CustomerTurnReading(i, c, d, 0.01, Math.Max(0, s), s));   // satisfied = the positive part of the sentiment
            }
            var summary = new CustomerSentiment
            {
                Overall = turns.Average(t => t.Sentiment), Start = turns[0].Sentiment, End = turns[^1].Sentiment,
                Trend = turns[^1].Sentiment < turns[0].Sentiment - 0.2 ? CustomerSentiment.Trends.Worse : CustomerSentiment.Trends.Same,
                Turns = turns.Select(t => new TurnSentiment { Utterance = t.Utterance, Start = utterances[t.Utterance].Start, End = utterances[t.Utterance].End, Score = t.Sentiment }).ToList(),
            };
            return new CustomerReading(turns, summary) { Ending = ending is { } p ? new CustomerEnding(turns[^1].Utterance, p) : null, CallComplaint = callComplaint };
        }

        /// <summary>Turns read together: the table's reading of their texts joined with "，" (neutral when absent).</summary>
        public CustomerTurnReading? ReadTogether(IReadOnlyList<Utterance> utterances, IReadOnlyList<int> turns)
        {
            var (c, d, s) = table.GetValueOrDefault(string.Join("，", turns.Select(i => utterances[i].Text)), (0.02, 0.05, 0.1));
            return new CustomerTurnReading(turns[0], c, d, 0.01, Math.Max(0, s), s);
        }
    }

    // A complaint told by its situation and cost, with none of the rubric's complaint phrases.
    private const string Situation = "c: 我上周三就报修了,说好第二天上门,结果一整天在家等着,请了一天假,到现在也没有一个电话。";

    private static Transcript SituationCall() => Call(Open, Situation, "a: 好的,我帮您查一下工单。", "c: 嗯。", "a: 查到了,师傅明天上午上门。", "c: 行吧,那就这样吧,我明天再请一天假。", Close);

    private static readonly Dictionary<string, (double, double, double)> Readings = new()
    {
        [Situation[3..]] = (0.97, 0.02, -0.9),
        ["行吧,那就这样吧,我明天再请一天假。"] = (0.05, 0.85, -0.85),
    };

    [Fact]
    public void Score_ShouldMissTheComplaint_WhenOnlyPhrasesJudgeASituationComplaint()
    {
        var r = new RubricScorer(RubricLoader.LoadDefault()).Score(SituationCall());
        Assert.False(r.IsComplaint);   // the failure the customer model exists for
        Assert.Null(r.CustomerSentiment);
        Assert.Equal("na", r.Findings.Single(f => f.Item == "EMPATHY").Result);
    }

    [Fact]
    public void Score_ShouldRecogniseTheComplaintWithItsTurnAndProbability_WhenTheModelHearsIt()
    {
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel(Readings, ending: 0.85)).Score(SituationCall());
        Assert.True(r.IsComplaint);
        var evidence = Assert.Single(r.ComplaintEvidence);
        Assert.Equal((1, "customer", 0.97), (evidence.Utterance, evidence.Speaker, evidence.Probability));
        // Section C is judged now: no empathy, no apology; a solution with a time frame.
        Assert.Equal("fail", r.Findings.Single(f => f.Item == "EMPATHY").Result);
        Assert.Equal(0.97, r.Findings.Single(f => f.Item == "EMPATHY").Evidence.Single().Probability);
        Assert.Equal("fail", r.Findings.Single(f => f.Item == "APOLOGY").Result);
        Assert.Equal("pass", r.Findings.Single(f => f.Item == "SOLUTION").Result);
        Assert.Equal("pass", r.Findings.Single(f => f.Item == "FOLLOW_UP").Result);
        // ... and the customer leaves unhappy without a phrase saying so.
        var end = r.Findings.Single(f => f.Item == "NEGATIVE_END");
        Assert.Equal((5, 0.85), (end.Evidence.Single().Utterance, end.Evidence.Single().Probability));
        Assert.Contains("NEGATIVE_END", r.FlagReasons);
        // The one-turn sentiment alone (−0.85) no longer decides it (rubric 2026.14): the ending model does.
        Assert.DoesNotContain(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel(Readings)).Score(SituationCall()).Findings, f => f.Item == "NEGATIVE_END");
        Assert.Equal((-0.9, -0.85), (r.CustomerSentiment!.Start, r.CustomerSentiment.End));
        Assert.Equal([1, 3, 5], r.CustomerSentiment.Turns.Select(t => t.Utterance));
    }

    [Fact]
    public void Score_ShouldMakeAComplaintCall_WhenTheCustomerStaysUnhappyOverSeveralTurns()
    {
        string[] lines = ["c: 我想问一下宽带的事。", "c: 约的上午装,我请了半天假。", "c: 现在下午一点多了。", "c: 那我下午还得上班。"];
        var table = lines.Skip(1).ToDictionary(l => l[3..], _ => (0.3, 0.45, -0.75));   // each: complaint + dissatisfaction 0.75, none alone a complaint
        var call = Call(Open, lines[0], "a: 好的。", lines[1], "a: 嗯。", lines[2], "a: 我帮您查一下。", lines[3], Close);
        var two = new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel(table.Take(2).ToDictionary())).Score(call);
        Assert.False(two.IsComplaint);
        var three = new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel(table)).Score(call);
        Assert.True(three.IsComplaint);
        Assert.Equal(3, three.ComplaintEvidence.Count + 2);   // complaintModelTurns (1) of them is the evidence
    }

    // A calm complaint told as a story, then pressed: the opening reads as a grievance, a later turn as clearly unhappy,
    // neither reaches the single-turn threshold (complaintModelThreshold 0.95) and there are no complaint phrases.
    private const string Story = "c: 我上个月办的卡,今天短信说扣了一千二,我就买过一次课。";
    private const string Pressed = "c: 我家住十八楼,老人一个礼拜没下过楼了。";

    private static Transcript StoryCall(string later = Pressed) =>
        Call(Open, Story, "a: 好的,我帮您看一下。", later, "a: 我马上帮您登记处理。", "c: 好。", Close);

    [Fact]
    public void Score_ShouldMakeAComplaintCall_WhenAGrievanceOpeningIsBorneOutByALaterUnhappyTurn()
    {
        var model = new TableModel(new() { [Story[3..]] = (0.6, 0.05, -0.6), [Pressed[3..]] = (0.07, 0.85, -0.9) });
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: model).Score(StoryCall());
        Assert.True(r.IsComplaint);
        // Both turns are the evidence: the opening with its P(complaint), the later turn with its P(dissatisfaction).
        Assert.Equal([(1, 0.6), (3, 0.85)], r.ComplaintEvidence.Select(e => (e.Utterance, e.Probability ?? -1)));
        Assert.Equal("fail", r.Findings.Single(f => f.Item == "EMPATHY").Result);
    }

    [Fact]
    public void Score_ShouldMakeAComplaintCall_WhenAnAbusiveCallerAlsoPressesAGrievance()
    {
        // RUBRIC.md: harassment does not switch off section C — a caller who is abusive and complaining gets both judged.
        // The grievance turns read as grievance, not abuse (rubric 2026.16: the model's paths into the gate no longer
        // leave harassment calls out; an abusive caller's ending still does not count, below).
        var call = Call(Open, Story, "a: 好的,我帮您看一下。", "c: 你他妈的快点查,废物。", "a: 请您文明用语,如果您继续辱骂,我将挂断电话。",
            Pressed, "c: 你们全是一群废物!", "a: 我马上帮您登记处理。", Close);
        var model = new TableModel(new() { [Story[3..]] = (0.6, 0.05, -0.6), [Pressed[3..]] = (0.07, 0.85, -0.9) });
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: model).Score(call);
        Assert.NotEqual("na", r.Findings.Single(f => f.Item == "HARASSMENT").Result);
        Assert.True(r.IsComplaint);
        // Without the grievance (the same abuse, an opening that reads as an enquiry) it is a harassment call only.
        var enquiry = new TableModel(new() { [Story[3..]] = (0.1, 0.05, 0.1), [Pressed[3..]] = (0.07, 0.85, -0.9) }, ending: 0.95);
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: enquiry).Score(call).IsComplaint);
    }

    [Fact]
    public void Score_ShouldIgnoreTheBorneOutOpening_WhenComplaintLaterUnhappyIsOne()
    {
        var yaml = DefaultYaml();
        Assert.Contains("complaintLaterUnhappy: 0.9", yaml, StringComparison.Ordinal);
        var off = RubricLoader.Parse(yaml.Replace("complaintLaterUnhappy: 0.9", "complaintLaterUnhappy: 1", StringComparison.Ordinal), "off.yaml");
        var model = new TableModel(new() { [Story[3..]] = (0.6, 0.05, -0.6), [Pressed[3..]] = (0.0, 1.0, -1) });
        Assert.False(new RubricScorer(off, customerModel: model).Score(StoryCall()).IsComplaint);
    }

    [Theory]
    [InlineData(0.45, 0.07, 0.85, Pressed)]   // the opening is not a grievance (below complaintOpeningGrievance 0.5)
    [InlineData(0.6, 0.07, 0.8, Pressed)]     // the later turn is unhappy, not clearly (0.87 < complaintLaterUnhappy 0.9)
    [InlineData(0.6, 0.07, 0.85, "c: 嗯嗯。")]   // a bare acknowledgement says nothing, whatever the model reads into it
    public void Score_ShouldNotMakeAComplaintCall_WhenTheOpeningIsNotBorneOut(double opening, double laterComplaint, double laterDissatisfaction, string later)
    {
        var model = new TableModel(new() { [Story[3..]] = (opening, 0.05, -0.6), [later[3..]] = (laterComplaint, laterDissatisfaction, -0.9) });
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: model).Score(StoryCall(later));
        Assert.False(r.IsComplaint);
        Assert.Equal("na", r.Findings.Single(f => f.Item == "EMPATHY").Result);
    }

    // A calm complaint told as a story and not pressed, which the agent answers with a sincere apology for a fault.
    // (Not "这是我们的失误": since rubric 2026.33 the fault owned in so many words is a complaint call by itself.)
    private const string Sorry = "a: 真的非常抱歉,给您带来不便了,我马上给您核实退款。";
    private const string LineSorry = "a: 对不起,您那边杂音比较大,我这边听不清,麻烦您大声一点。";

    /// <summary>The agent classifier as a table: P(sincere_apology) by agent text, the rest neutral.</summary>
    private sealed class ApologyClassifier(Dictionary<string, double> sincere) : IUtteranceClassifier
    {
        public UtteranceClassification Classify(UtteranceContext utterance)
        {
            var p = sincere.GetValueOrDefault(utterance.Text, 0.01);
            var probabilities = new Dictionary<string, double> { [UtteranceLabels.SincereApology] = p, [UtteranceLabels.Neutral] = 1 - p };
            return new UtteranceClassification(utterance.Text, p >= 0.5 ? UtteranceLabels.SincereApology : UtteranceLabels.Neutral, Math.Max(p, 1 - p), probabilities);
        }
    }

    private static Transcript AcknowledgedCall(string apology = Sorry) =>
        Call(Open, Story, apology, "c: 好的,那我等你们消息。", "a: 好的,三个工作日内到账。", "c: 好。", Close);

    private static readonly TableModel StoryOpening = new(new() { [Story[3..]] = (0.6, 0.05, -0.6) });

    [Fact]
    public void Score_ShouldMakeAComplaintCall_WhenAGrievanceOpeningIsAnsweredWithASincereApology()
    {
        var classifier = new ApologyClassifier(new() { [Sorry[3..]] = 0.96 });
        var r = new RubricScorer(RubricLoader.LoadDefault(), classifier, StoryOpening).Score(AcknowledgedCall());
        Assert.True(r.IsComplaint);
        // The evidence is the customer's turn that carries the grievance, with its P(complaint) — not the agent's apology.
        Assert.Equal([(1, 0.6)], r.ComplaintEvidence.Select(e => (e.Utterance, e.Probability ?? -1)));
        Assert.NotEqual("na", r.Findings.Single(f => f.Item == "APOLOGY").Result);
        // Without the agent classifier there is no reading of the apology, and the opening alone is not enough.
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: StoryOpening).Score(AcknowledgedCall()).IsComplaint);
    }

    [Theory]
    [InlineData(0.45, 0.99, Sorry)]       // the opening is not grievance enough (below complaintApologyOpening 0.5, rubric 2026.12)
    [InlineData(0.6, 0.9, Sorry)]         // the apology is not read as sincere enough (below complaintAgentApology 0.95)
    [InlineData(0.6, 0.99, LineSorry)]    // an apology for a poor line (the APOLOGY item's protocol script) is not for a fault
    [InlineData(0.6, 0.99, "a: 好的,我马上给您核实退款。")]   // the classifier's reading alone, without an apology word
    public void Score_ShouldNotMakeAComplaintCall_WhenTheOpeningIsNotAcknowledgedAsAFault(double opening, double sincere, string apology)
    {
        var model = new TableModel(new() { [Story[3..]] = (opening, 0.05, -0.6) });
        var classifier = new ApologyClassifier(new() { [apology[3..]] = sincere });
        var r = new RubricScorer(RubricLoader.LoadDefault(), classifier, model).Score(AcknowledgedCall(apology));
        Assert.False(r.IsComplaint);
        Assert.Equal("na", r.Findings.Single(f => f.Item == "EMPATHY").Result);
    }

    [Fact]
    public void Score_ShouldNotMakeAComplaintCall_WhenTheApologyComesBeforeTheGrievanceOpening()
    {
        var classifier = new ApologyClassifier(new() { ["真的非常抱歉让您久等了,请问有什么可以帮您?"] = 0.99 });
        var call = Call("a: 真的非常抱歉让您久等了,请问有什么可以帮您?", Story, "a: 好的,我帮您查一下。", "c: 好。", Close);
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), classifier, StoryOpening).Score(call).IsComplaint);
    }

    [Fact]
    public void Score_ShouldIgnoreTheAgentsApology_WhenComplaintAgentApologyIsOne()
    {
        var yaml = DefaultYaml();
        Assert.Contains("complaintAgentApology: 0.95", yaml, StringComparison.Ordinal);
        var off = RubricLoader.Parse(yaml.Replace("complaintAgentApology: 0.95", "complaintAgentApology: 1", StringComparison.Ordinal), "off.yaml");
        var classifier = new ApologyClassifier(new() { [Sorry[3..]] = 1.0 });
        Assert.False(new RubricScorer(off, classifier, StoryOpening).Score(AcknowledgedCall()).IsComplaint);
    }

    [Fact]
    public void Score_ShouldNotMakeAComplaintCall_WhenTheModelReadsTheCustomerAsCalm()
    {
        var call = Call(Open, "c: 我想问一下我的套餐还剩多少流量。", "a: 好的,我帮您查一下,还剩3个G。", "c: 好的谢谢。", Close);
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([])).Score(call);
        Assert.False(r.IsComplaint);
        Assert.Empty(r.ComplaintEvidence);
        Assert.DoesNotContain(r.Findings, f => f.Item == "NEGATIVE_END");
        Assert.NotNull(r.CustomerSentiment);
    }

    [Fact]
    public void Score_ShouldNotFlagEscalation_WhenTheModelReadsTheThreatTurnAsSatisfied()
    {
        const string satisfied = "好的好的,问题解决了,我就不去消协了,谢谢你啊。";
        const string angry = "你们再不处理我就去消协反映!";
        var model = new TableModel(new() { [satisfied] = (0.02, 0.02, 0.9), [angry] = (0.96, 0.02, -0.9) });
        var scorer = new RubricScorer(RubricLoader.LoadDefault(), customerModel: model);
        var calmResult = scorer.Score(Call(Open, "c: 我的快递显示签收了但我没收到。", "a: 我帮您查一下,已经联系快递员送回来了。", "c: " + satisfied, Close));
        var calmSignal = calmResult.Findings.Single(f => f.Item == "ESCALATION_RISK");
        Assert.True(calmSignal.NeedsListening);
        Assert.DoesNotContain("ESCALATION_RISK", calmResult.FlagReasons);
        var angryResult = scorer.Score(Call(Open, "c: " + angry, "a: 我马上帮您处理。", Close));
        Assert.Contains("ESCALATION_RISK", angryResult.FlagReasons);
        Assert.Equal(0.96, angryResult.Findings.Single(f => f.Item == "ESCALATION_RISK").Evidence.Single().Probability);
    }

    // A calm account over two turns: what happened, then what it costs; neither sentence alone reads as a complaint.
    private const string Happened = "c: 上个月的账单多了八十块钱,我也不知道是什么费用。";
    private const string Costs = "c: 我一个月就拿这点退休金,这八十块钱够我买一礼拜的菜了。";

    private static Transcript AccountCall() => Call(Open, Happened, "a: 好的。", Costs, "a: 我帮您查一下明细。", "c: 嗯。", Close);

    /// <summary>The default rubric with the opening reading switched on (2 turns at 0.95).</summary>
    private static Rubric OpeningOn(int turns = 2)
    {
        var yaml = DefaultYaml();
        Assert.Contains("complaintOpeningTurns: 0", yaml, StringComparison.Ordinal);   // shipped off
        return RubricLoader.Parse(yaml.Replace("complaintOpeningTurns: 0", $"complaintOpeningTurns: {turns}", StringComparison.Ordinal), "opening.yaml");
    }

    [Fact]
    public void Score_ShouldMakeAComplaintCall_WhenTheOpeningTurnsReadTogetherAreAComplaint()
    {
        var together = Happened[3..] + "，" + Costs[3..];
        var r = new RubricScorer(OpeningOn(), customerModel: new TableModel(new() { [together] = (0.9, 0.07, -0.9) })).Score(AccountCall());
        Assert.True(r.IsComplaint);
        var evidence = Assert.Single(r.ComplaintEvidence);
        Assert.Equal((1, 0.97), (evidence.Utterance, evidence.Probability));   // the first turn of the account, complaint + dissatisfaction
        Assert.Equal("fail", r.Findings.Single(f => f.Item == "EMPATHY").Result);
    }

    [Theory]
    [InlineData(0.5, 0.3)]     // unhappy, but less sure than one complaint turn must be (complaintOpeningLevel 0.95)
    [InlineData(0.02, 0.05)]   // an enquiry
    public void Score_ShouldNotMakeAComplaintCall_WhenTheOpeningReadTogetherIsBelowTheLevel(double complaint, double dissatisfaction)
    {
        var together = Happened[3..] + "，" + Costs[3..];
        var r = new RubricScorer(OpeningOn(), customerModel: new TableModel(new() { [together] = (complaint, dissatisfaction, -0.5) })).Score(AccountCall());
        Assert.False(r.IsComplaint);
    }

    [Fact]
    public void Score_ShouldIgnoreTheOpening_WhenComplaintOpeningTurnsIsZero()
    {
        var together = Happened[3..] + "，" + Costs[3..];
        var r = new RubricScorer(OpeningOn(0), customerModel: new TableModel(new() { [together] = (0.99, 0.0, -0.9) })).Score(AccountCall());
        Assert.False(r.IsComplaint);
    }

    [Fact]
    public void ReadTogether_ShouldReadTheJoinedTurnsWithTheFirstTurnsContext_WithTheTrainedModel()
    {
        var model = CustomerStateModel.LoadDefault();
        var call = AccountCall().Utterances;
        var together = new CustomerStateReader(model).ReadTogether(call, [1, 3])!.Value;
        var direct = model.Classify(new CustomerTurnContext(call[1].Text + "，" + call[3].Text, call[0].Text, 0, 3), 1);
        Assert.Equal((1, direct.Complaint, direct.Dissatisfaction, direct.Sentiment), (together.Utterance, together.Complaint, together.Dissatisfaction, together.Sentiment));
        Assert.NotEqual(model.Classify(new CustomerTurnContext(call[1].Text, call[0].Text, 0, 3)).Complaint, together.Complaint);
    }

    // ---- an unhappy ending (rubric 2026.15) ----------------------------------------------------------------------------

    // A sarcastic account the model does not read as a complaint turn by turn, and the customer leaving unhappy.
    private static Transcript SarcasticCall(params string[] middle) => Call([Open,
        "c: 哎呀你们可真行,生日蛋糕晚上九点才送到,派对早散了,这服务真是没得说。", "a: 我帮您看一下订单。", .. middle,
        "c: 行,你们就这么做生意吧,我算是见识了。", Close]);

    [Fact]
    public void Score_ShouldMakeAComplaintCall_WhenTheEndingModelReadsTheCustomerLeavingUnhappy()
    {
        var call = SarcasticCall("a: 订单显示已送达。");
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([], ending: 0.3)).Score(call).IsComplaint);
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([], ending: 0.8)).Score(call);
        Assert.True(r.IsComplaint);
        // The evidence is the last customer turn, with the ending model's probability.
        var e = Assert.Single(r.ComplaintEvidence);
        Assert.Equal(call.Utterances.Count - 2, e.Utterance);
        Assert.Equal(0.8, e.Probability!.Value, 3);
    }

    [Fact]
    public void Score_ShouldIgnoreTheEnding_WhenComplaintUnhappyEndingIsOne()
    {
        var yaml = DefaultYaml();
        Assert.Contains("complaintUnhappyEnding: 0.5", yaml, StringComparison.Ordinal);
        var off = RubricLoader.Parse(yaml.Replace("complaintUnhappyEnding: 0.5", "complaintUnhappyEnding: 1", StringComparison.Ordinal), "off.yaml");
        Assert.False(new RubricScorer(off, customerModel: new TableModel([], ending: 0.99)).Score(SarcasticCall("a: 订单显示已送达。")).IsComplaint);
    }

    // A grievance told calmly as a story: no complaint phrase, and no turn reads as a complaint on its own.
    private static readonly string[] CalmStory = [Open, "c: 我上个月在你们这儿买的次卡,今天去上课前台说卡里只剩两次了,可我记得明明还有五次。",
        "a: 我帮您查一下消费记录。", "c: 嗯,那三次我都没去上过课。", "a: 查到了,我给您提交核查,明天下午三点前回复您。", "c: 好,那我等电话。", Close];

    [Fact]
    public void Score_ShouldMakeAComplaintCall_WhenTheCallComplaintModelReadsTheWholeCallAsOne()
    {
        // Rubric 2026.29: the call-complaint model's P(complaint call) at or above complaintCallModel (0.85) makes it one.
        var call = Call(CalmStory);
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel(new() { [CalmStory[3][3..]] = (0.02, 0.3, -0.2) }, callComplaint: 0.8)).Score(call).IsComplaint);
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel(new() { [CalmStory[3][3..]] = (0.02, 0.3, -0.2) }, callComplaint: 0.9)).Score(call);
        Assert.True(r.IsComplaint);
        // The evidence is the customer's most unhappy turn, with the call's probability.
        var e = Assert.Single(r.ComplaintEvidence);
        Assert.Equal(3, e.Utterance);
        Assert.Equal(0.9, e.Probability!.Value, 3);
        Assert.NotEqual("na", r.Findings.Single(f => f.Item == "EMPATHY").Result);
    }

    [Fact]
    public void Score_ShouldIgnoreTheCallComplaintModel_WhenComplaintCallModelIsOne_OrTheLineIsPoor()
    {
        var yaml = DefaultYaml();
        Assert.Contains("complaintCallModel: 0.85", yaml, StringComparison.Ordinal);
        var off = RubricLoader.Parse(yaml.Replace("complaintCallModel: 0.85", "complaintCallModel: 1", StringComparison.Ordinal), "off.yaml");
        Assert.False(new RubricScorer(off, customerModel: new TableModel([], callComplaint: 0.99)).Score(Call(CalmStory)).IsComplaint);
        var poor = Call(Open, "c: 喂?我上个月买的次卡…前台说…只剩两次…", "a: 对不起,您那边杂音太大,我听不清楚,请您换个地方再打过来,再见。");
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([], callComplaint: 0.99)).Score(poor).IsComplaint);
    }

    [Fact]
    public void Score_ShouldNotAddUpUnhappyTurns_WhenTheWholeCallReadsAsNoComplaint()
    {
        // Rubric 2026.29: three turns each read a little unhappy (a change of plan told with its background) make a
        // complaint call only when the call-complaint model's reading of the whole call reaches complaintCallVeto (0.3).
        string[] lines = [Open, "c: 我约了明天上午装门锁,结果公司临时让我出差,明天家里没人,想改个时间。", "a: 好的,您想改到哪天?",
            "c: 下礼拜六吧,那个尾款我账户里好像还没扣。", "a: 尾款装完以后在app上确认就会自动扣。", "c: 好,要是到时候有事我再打电话改。", Close];
        var readings = new Dictionary<string, (double, double, double)>
        {
            [lines[1][3..]] = (0.9, 0.05, -0.5), [lines[3][3..]] = (0.02, 0.72, -0.4), [lines[5][3..]] = (0.02, 0.71, -0.4),
        };
        var call = Call(lines);
        Assert.True(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel(readings)).Score(call).IsComplaint);
        Assert.True(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel(readings, callComplaint: 0.5)).Score(call).IsComplaint);
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel(readings, callComplaint: 0.1)).Score(call).IsComplaint);
    }

    [Fact]
    public void Score_ShouldNotTakeAComplaintPhraseAlone_WhenTheWholeCallReadsAsClearlyNoComplaint()
    {
        // Rubric 2026.29: 好多次 is a complaint marker (calling many times), here of a game played many times; the phrase makes
        // a complaint call only when the call-complaint model reads the call at complaintPhraseVeto (0.1) or above.
        var call = Call(Open, "c: 我想订个本,下周五晚上七个人,有两个新手,其他几个都玩过好多次了。", "a: 好的,给您推荐《半生缘起》,七点可以吗?", "c: 可以,就这个。", Close);
        Assert.True(new RubricScorer(RubricLoader.LoadDefault()).Score(call).IsComplaint);
        Assert.True(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([], callComplaint: 0.4)).Score(call).IsComplaint);
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([], callComplaint: 0.02)).Score(call).IsComplaint);
        // A restraint, not a path: it holds on a poor line too, where the model paths are off and a fragment is all the
        // phrases hear.
        var poor = Call(Open, "c: 喂 我在那个 高速上 第二次 爆胎了 呼", "a: 对不起,您那边风声太大,我听不清楚,请您换个地方再打过来,再见。");
        Assert.True(new RubricScorer(RubricLoader.LoadDefault()).Score(poor).IsComplaint);
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([], callComplaint: 0.02)).Score(poor).IsComplaint);
    }

    [Fact]
    public void Score_ShouldNotMakeAComplaintCall_WhenAPoorLineEndsUnhappily()
    {
        // "喂?喂?听不见" at the end of a poor line is the line, not a grievance.
        var call = Call(Open, "c: 喂?我想问一下那个…", "a: 对不起,您那边声音太小了,请您大声一点好吗?", "c: 喂?喂?听得见吗?", "a: 对不起,还是听不清,请您换个地方再打过来,再见。");
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([], ending: 0.9)).Score(call).IsComplaint);
    }

    [Fact]
    public void Score_ShouldNotMakeAComplaintCall_WhenAPoorLinesFragmentsReadAsAGrievance()
    {
        // Rubric 2026.17: on a poor line (the agent says it cannot hear) the model's paths make no complaint call — the
        // same opening borne out makes one on a clear line.
        var poor = Call(Open, Story, "a: 对不起,您那边杂音太大,我听不清楚,请您大声一点好吗?", Pressed, "a: 对不起,还是听不清,请您换个安静的地方再打过来,再见。");
        var clear = Call(Open, Story, "a: 好的,我帮您看一下。", Pressed, "a: 我马上帮您登记处理。", Close);
        var model = new TableModel(new() { [Story[3..]] = (0.6, 0.05, -0.6), [Pressed[3..]] = (0.07, 0.85, -0.9) });
        var scorer = new RubricScorer(RubricLoader.LoadDefault(), customerModel: model);
        Assert.NotEqual("na", scorer.Score(poor).Findings.Single(f => f.Item == "POOR_LINE").Result);
        Assert.False(scorer.Score(poor).IsComplaint);
        Assert.True(scorer.Score(clear).IsComplaint);
    }

    // ---- the fault owned (rubric 2026.33) ---------------------------------------------------------------------------

    // A sarcastic account the model reads as no complaint, the agent owning the fault in so many words.
    private static Transcript OwnedCall(string admission) => Call(Open,
        "c: 我就想问问,你们菜单上写的十六道菜,是不是有两道是写着好看的?", "a: 请您提供一下预订人姓名,我帮您查一下。",
        "c: 刘志强,上周六晚上那场,还有那个龙虾端上来是基围虾,你们真会做生意。", "a: " + admission,
        "c: 行,那我等电话。", Close);

    [Theory]
    [InlineData("这确实是我们的问题,真的非常抱歉,差价给您退回,经理明天上午给您回电。", true)]
    [InlineData("是我们工作上的疏忽,差价给您退回,经理明天上午给您回电。", true)]
    [InlineData("是我们没做好,差价给您退回,经理明天上午给您回电。", true)]
    [InlineData("如果是我们的问题,差价会给您退回,经理明天上午给您回电。", false)]   // a condition
    [InlineData("可能是我们这边的问题,我先登记,经理明天上午给您回电。", false)]      // a guess
    [InlineData("是不是我们的问题还要核实,我先登记,经理明天上午给您回电。", false)]  // a question
    [InlineData("我先登记一下,经理明天上午给您回电。", false)]
    public void Score_ShouldMakeAComplaintCall_WhenTheAgentOwnsTheFault(string admission, bool complaint)
    {
        var call = OwnedCall(admission);
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([])).Score(call);
        Assert.Equal(complaint, r.IsComplaint);
        if (!complaint) return;
        // The evidence is the customer's account before the admission the model reads most unhappy (the first of equals
        // here: the table reads every turn alike); with phrases only (no customer model), the one just before it.
        Assert.Equal(1, Assert.Single(r.ComplaintEvidence).Utterance);
        var phrasesOnly = new RubricScorer(RubricLoader.LoadDefault()).Score(call);
        Assert.True(phrasesOnly.IsComplaint);
        Assert.Equal(3, Assert.Single(phrasesOnly.ComplaintEvidence).Utterance);
    }

    // Rubric 2026.38: the slip named (是我们…录错/选错, 这是我们录入的错误) owns the fault too; the agent naming the customer's
    // dissatisfaction (换作是我也会很失望 / 听得出来您很失望) hears a complaint — not worry (换谁都着急), not a denial.
    [Theory]
    [InlineData("是我们下单的时候选错了套餐,非常抱歉,差价给您退回,经理明天上午给您回电。", true)]
    [InlineData("这是我们录入的错误,差价给您退回,经理明天上午给您回电。", true)]
    [InlineData("可能是我们这边录错了,我先登记,经理明天上午给您回电。", false)]          // a guess
    [InlineData("不是我们弄错了,菜单上写的就是这些,经理明天上午给您回电。", false)]       // a denial
    [InlineData("花了钱吃成这样,换作是我也会很失望,我先登记,经理明天上午给您回电。", true)]
    [InlineData("听得出来您对这顿饭特别不满,我先登记,经理明天上午给您回电。", true)]
    [InlineData("换谁都不会不高兴的,菜单上写的就是这些,经理明天上午给您回电。", false)]  // the agent denies it
    [InlineData("换谁都着急,您别担心,我先登记,经理明天上午给您回电。", false)]            // worry, not dissatisfaction
    public void Score_ShouldMakeAComplaintCall_WhenTheAgentNamesTheSlipOrTheDissatisfaction(string agentTurn, bool complaint)
    {
        var call = OwnedCall(agentTurn);
        Assert.Equal(complaint, new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([])).Score(call).IsComplaint);
        Assert.Equal(complaint, new RubricScorer(RubricLoader.LoadDefault()).Score(call).IsComplaint);
    }

    [Fact]
    public void Score_ShouldPointAtTheMostUnhappyTurn_WhenTheAgentOwnsTheFault()
    {
        var call = OwnedCall("这是我们的问题,非常抱歉,差价给您退回,经理明天上午给您回电。");
        // The opening reads most unhappy, not the turn just before the admission.
        var model = new TableModel(new() { ["我就想问问,你们菜单上写的十六道菜,是不是有两道是写着好看的?"] = (0.4, 0.3, -0.5) });
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: model).Score(call);
        Assert.True(r.IsComplaint);
        var e = Assert.Single(r.ComplaintEvidence);
        Assert.Equal((1, 0.4), (e.Utterance, e.Probability!.Value));
    }

    [Fact]
    public void Score_ShouldNotMakeAComplaintCall_WhenTheOwnedFaultIsThePoorLine()
    {
        // On a poor line "是我们这边的问题" is about the connection, not a grievance (rubric 2026.33 leaves the special calls out).
        var poor = Call(Open, "c: 喂?我想问一下那个…", "a: 对不起,您那边声音太小了,听不清,请您大声一点好吗?", "c: 喂?喂?",
            "a: 对不起,也许是线路的问题,是我们这边的问题也说不定,请您换个电话再打过来,再见。");
        Assert.False(new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([])).Score(poor).IsComplaint);
    }

    [Fact]
    public void Score_ShouldFlagAnUnsureEnding_FromModelEndingSureAbove()
    {
        // Rubric 2026.32: an ending the model reads at 0.5 (above modelEndingAbove 0.4, below confidenceThreshold 0.6)
        // flags a stereo call — its confidence is lifted to the threshold. Under 2026.31's reading (modelEndingSureAbove
        // 1) the same fire carried 0.5, was "needs listening" and did not flag. On a mono call the role factor (0.9)
        // keeps it below the threshold: listed for the reviewer, not flagged.
        var lines = new[] { Open, "c: 我想问一下那个快递。", "a: 好的,已经帮您查到了,明天送到。", "c: 行吧,那就这样吧。", Close };
        var yaml = DefaultYaml();
        Assert.Contains("modelEndingAbove: 0.4, modelEndingSureAbove: 0.4", yaml, StringComparison.Ordinal);
        var model = new TableModel([], ending: 0.5);
        var r = new RubricScorer(RubricLoader.LoadDefault(), customerModel: model).Score(Call(lines));
        var fire = r.Findings.Single(f => f.Item == "NEGATIVE_END");
        Assert.Equal(("fire", 0.6, (bool?)null), (fire.Result, fire.Confidence, fire.NeedsListening));
        Assert.Contains("NEGATIVE_END", r.FlagReasons);
        Assert.True(r.Flagged);

        var old = RubricLoader.Parse(yaml.Replace("modelEndingSureAbove: 0.4", "modelEndingSureAbove: 1", StringComparison.Ordinal), "old.yaml");
        var unsure = new RubricScorer(old, customerModel: model).Score(Call(lines));
        Assert.Equal((0.5, (bool?)true), (unsure.Findings.Single(f => f.Item == "NEGATIVE_END").Confidence, unsure.Findings.Single(f => f.Item == "NEGATIVE_END").NeedsListening));
        Assert.DoesNotContain("NEGATIVE_END", unsure.FlagReasons);

        var mono = new RubricScorer(RubricLoader.LoadDefault(), customerModel: model).Score(Mono(lines));
        var monoFire = mono.Findings.Single(f => f.Item == "NEGATIVE_END");
        Assert.Equal((0.54, (bool?)true), (monoFire.Confidence, monoFire.NeedsListening));
        Assert.DoesNotContain("NEGATIVE_END", mono.FlagReasons);

        // Below modelEndingAbove the model does not fire at all.
        var calm = new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([], ending: 0.35)).Score(Call(lines));
        Assert.DoesNotContain(calm.Findings, f => f.Item == "NEGATIVE_END");
    }

    [Fact]
    public void Score_ShouldNotFireNegativeEndFromTheEndingModel_WhenTheLineIsPoor()
    {
        // Rubric 2026.21: on a poor line the customer's last words are the connection's fragments; the ending model reads
        // them as unhappy, the labels never do (0 of 72 labelled poor-line calls). On a clear line the same reading fires.
        var poor = Call(Open, "c: 喂?我想问一下那个…", "a: 对不起,您那边声音太小了,请您大声一点好吗?", "c: 喂?喂?听得见吗?", "a: 对不起,还是听不清,请您换个地方再打过来,再见。");
        var clear = Call(Open, "c: 我想问一下那个快递。", "a: 好的,已经帮您查到了,明天送到。", "c: 行吧,那就这样吧。", Close);
        var scorer = new RubricScorer(RubricLoader.LoadDefault(), customerModel: new TableModel([], ending: 0.9));
        Assert.DoesNotContain(scorer.Score(poor).Findings, f => f.Item == "NEGATIVE_END" && f.Result == "fire");
        Assert.Contains(scorer.Score(clear).Findings, f => f.Item == "NEGATIVE_END" && f.Result == "fire");
    }

    [Fact]
    public void Score_ShouldMakeAComplaintCall_WhenTheAgentBlamesSomeoneForTheOpeningGrievance()
    {
        // Rubric 2026.22: an opening the model reads as a grievance (0.6 here: below the single-turn threshold, never
        // pressed, no apology) answered by the agent blaming the system treats the account as a fault: a complaint call.
        // The same opening answered with help is not one, nor is the blame when the rule is off.
        var blamed = Call(Open, Story, "a: 这个是系统自动扣的,系统最近老出问题,我们这边也没办法。", "c: 那好吧。", Close);
        var helped = Call(Open, Story, "a: 好的,我帮您查一下这笔扣费。", "c: 好的。", Close);
        var model = new TableModel(new() { [Story[3..]] = (0.6, 0.05, -0.3) });
        var scorer = new RubricScorer(RubricLoader.LoadDefault(), customerModel: model);
        var r = scorer.Score(blamed);
        Assert.Equal("fail", r.Findings.Single(f => f.Item == "BLAME_SHIFTING").Result);
        Assert.True(r.IsComplaint);
        Assert.Equal(1, Assert.Single(r.ComplaintEvidence).Utterance);
        Assert.False(scorer.Score(helped).IsComplaint);
        var yaml = DefaultYaml();
        Assert.Contains("complaintBlameOpening: 0.5", yaml, StringComparison.Ordinal);
        var off = RubricLoader.Parse(yaml.Replace("complaintBlameOpening: 0.5", "complaintBlameOpening: 1", StringComparison.Ordinal), "off.yaml");
        Assert.False(new RubricScorer(off, customerModel: model).Score(blamed).IsComplaint);
    }

    private static string DefaultYaml() => RubricLoader.DefaultYaml();
}
