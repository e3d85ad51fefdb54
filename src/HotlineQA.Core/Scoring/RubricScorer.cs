using System.Globalization;
using HotlineQA.Audio;
using HotlineQA.Classification;
using HotlineQA.Scoring.Privacy;
using HotlineQA.Transcription;

namespace HotlineQA.Scoring;

/// <summary>
/// Scores a transcript (and the audio timeline, when there is one) against a loaded rubric: every item of sections A–D
/// once, section-E signals when they fire, evidence and confidence per finding, score and flag as RUBRIC.md says.
/// Stateless and thread-safe; rescoring a stored call is <c>new RubricScorer(otherRubric).Score(transcript, timeline)</c>.
/// </summary>
public sealed class RubricScorer
{
    private readonly IUtteranceClassifier? _classifier;
    private readonly ICustomerModel? _customerModel;

    /// <summary>Rules only, under the built-in rubric.</summary>
    public RubricScorer() : this(RubricLoader.LoadDefault()) { }

    /// <param name="rubric">The loaded rubric.</param>
    /// <param name="classifier">The agent-utterance classifier (optional: without it the rules alone judge the agent).</param>
    /// <param name="customerModel">The customer model (optional: without it the complaint gate, NEGATIVE_END and
    /// ESCALATION_RISK read the phrases alone and the score carries no customerSentiment).</param>
    public RubricScorer(Rubric rubric, IUtteranceClassifier? classifier = null, ICustomerModel? customerModel = null)
    {
        Rubric = rubric;
        _classifier = classifier;
        _customerModel = customerModel;
    }

    public Rubric Rubric { get; }

    /// <summary>The version of the rubric this scorer applies; recorded in every <see cref="ScoreResult"/>.</summary>
    public string RubricVersion => Rubric.Version;

    public bool UsesClassifier => _classifier is not null;

    public bool UsesCustomerModel => _customerModel is not null;

    public ScoreResult Score(Transcript transcript, AudioAnalysis? timeline = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var view = new CallView(Rubric, transcript, timeline);
        var utterances = ModelUtterances(view);
        var reading = _customerModel?.Read(utterances);
        // The customer's opening account read as one turn (settings complaintOpening*).
        CustomerTurnReading? opening = null;
        if (_customerModel is not null && Rubric.Settings.ComplaintOpeningTurns > 0)
        {
            var first = view.CustomerTurns.Where(u => CustomerStateModel.SaysSomething(view.Utterances[u].Text))
                .Take(Rubric.Settings.ComplaintOpeningTurns).ToList();
            if (first.Count > 0) opening = _customerModel.ReadTogether(utterances, first);
        }
        var run = new Run(Rubric, view, _classifier, reading, opening);
        return run.Execute(transcript.CallId ?? "");
    }

    /// <summary>The call as the customer model reads it — as the rules do: in time order, with the roles inferred on a
    /// mono call. Training material for the models is read the same way (<see cref="LabelledCalls"/>).</summary>
    /// <summary>A transcript as the customer model reads it under <paramref name="rubric"/> (<see cref="ModelUtterances"/>).</summary>
    public static IReadOnlyList<Utterance> ModelUtterancesOf(Rubric rubric, Transcript transcript) => ModelUtterances(new CallView(rubric, transcript, null));

    internal static IReadOnlyList<Utterance> ModelUtterances(CallView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view.RolesInferred ? view.Utterances.Select((u, i) => u with { Speaker = view.Roles[i] }).ToList() : view.Utterances;
    }

    /// <param name="Probabilities">The customer model's probability behind an evidence turn, shown with it.</param>
    private sealed record Eval(string Result, double Confidence, string? Reason, IReadOnlyList<int> Evidence, string? Severity = null,
        IReadOnlyDictionary<int, double>? Probabilities = null);

    /// <summary>Whether the call is a complaint call, and the customer turns that carry the complaint (with the model's
    /// complaint probability when it ran).</summary>
    private sealed record ComplaintFacts(bool IsComplaint, IReadOnlyList<int> Turns, IReadOnlyDictionary<int, double> Probabilities);

    private sealed class Run(Rubric rubric, CallView call, IUtteranceClassifier? classifier, CustomerReading? reading, CustomerTurnReading? opening)
    {
        private readonly Dictionary<string, Eval> _done = new(StringComparer.Ordinal);
        private readonly Dictionary<int, UtteranceClassification> _classified = [];
        private readonly Dictionary<int, string> _masked = [];
        private ComplaintFacts? _complaint;
        private Dictionary<int, CustomerTurnReading>? _customer;
        private bool? _harassment;
        private bool? _silent;
        private bool? _poorLine;
        private List<ApologyTurn>? _apologies;
        private RubricSettings S => rubric.Settings;

        public ScoreResult Execute(string callId)
        {
            var findings = new List<Finding>();
            foreach (var item in rubric.Items)
            {
                var e = Evaluate(item);
                if (item.IsSignal && e.Result != Results.Fire) continue;
                var confidence = Math.Round(Math.Clamp(e.Confidence, 0, 1), 2);
                findings.Add(new Finding
                {
                    Item = item.Id,
                    Result = e.Result,
                    Severity = e.Severity ?? item.Severity,
                    Confidence = confidence,
                    Reason = e.Reason,
                    NeedsListening = e.Result != Results.Na && confidence < S.ConfidenceThreshold ? true : null,
                    Evidence = EvidenceOf(e),
                });
            }
            double passed = 0, total = 0;
            var criticalFail = new List<string>();
            foreach (var f in findings)
            {
                if (f.Result is not (Results.Pass or Results.Fail)) continue;
                var w = rubric.Weights.GetValueOrDefault(f.Severity, 0);
                total += w;
                // An unsure fail ("needs listening") is scored as a pass: the reviewer's listening, not the engine, may lower the score.
                if (f.Result == Results.Pass || f.NeedsListening == true) passed += w;
                else if (f.Severity == "critical") criticalFail.Add(f.Item);
            }
            var score = total > 0 ? Math.Round(100 * passed / total, 1, MidpointRounding.AwayFromZero) : 100;
            if (criticalFail.Count > 0) score = Math.Min(score, S.CriticalCap);
            var reasons = new List<string>(criticalFail);
            if (score < S.FlagBelow) reasons.Add("SCORE_BELOW_" + S.FlagBelow.ToString(CultureInfo.InvariantCulture));
            reasons.AddRange(findings.Where(f => f.Result == Results.Fire && f.NeedsListening != true).Select(f => f.Item));
            return new ScoreResult
            {
                CallId = callId,
                RubricVersion = rubric.Version,
                Score = score,
                Flagged = reasons.Count > 0,
                FlagReasons = reasons,
                IsComplaint = IsComplaint,
                ComplaintEvidence = IsComplaint ? Complaint.Turns.Select(u => ToEvidence(u, Complaint.Probabilities)).ToList() : [],
                CustomerSentiment = Sentiment(),
                Findings = findings,
            };
        }

        /// <summary>A finding's evidence: its distinct utterances in order, the first eight.</summary>
        private List<Evidence> EvidenceOf(Eval e)
        {
            if (e.Evidence.Count == 0) return [];
            var order = e.Evidence.ToArray();
            Array.Sort(order);
            var result = new List<Evidence>(Math.Min(8, order.Length));
            for (var i = 0; i < order.Length && result.Count < 8; i++)
                if (i == 0 || order[i] != order[i - 1]) result.Add(ToEvidence(order[i], e.Probabilities));
            return result;
        }

        private Evidence ToEvidence(int u, IReadOnlyDictionary<int, double>? probabilities)
        {
            var utt = call.Utterances[u];
            if (!_masked.TryGetValue(u, out var text)) _masked[u] = text = PersonalDataMasker.MaskText(utt.Text);
            double? p = probabilities is not null && probabilities.TryGetValue(u, out var pv) ? Math.Round(pv, 2) : null;
            return new Evidence { Utterance = call.OriginalIndex[u], Speaker = call.Roles[u], Start = utt.Start, End = utt.End, Text = text, Probability = p };
        }

        /// <summary>The model's summary with utterance numbers of the transcript (the model read the time-ordered list).</summary>
        private CustomerSentiment? Sentiment()
        {
            if (reading is null) return null;
            var turns = reading.Summary.Turns.Select(t => t with { Utterance = call.OriginalIndex[t.Utterance] }).ToList();
            return reading.Summary with { Turns = turns };
        }

        /// <summary>The customer model's reading of a customer turn, or null when the model did not run.</summary>
        private CustomerTurnReading? Customer(int u)
        {
            if (reading is null) return null;
            _customer ??= reading.Turns.ToDictionary(t => t.Utterance);
            return _customer.TryGetValue(u, out var r) ? r : null;
        }

        /// <summary>How unhappy a customer turn reads: the largest of complaint, dissatisfaction and abuse.</summary>
        private static double Negativity(CustomerTurnReading r) => Math.Max(r.Complaint, Math.Max(r.Dissatisfaction, r.Abuse));

        private Eval Evaluate(RubricItem item)
        {
            if (_done.TryGetValue(item.Id, out var done)) return done;
            _done[item.Id] = new Eval(Results.Na, 1, "rule refers to itself", []);
            Eval e;
            if (item.ComplaintOnly && !IsComplaint) e = new Eval(Results.Na, Sure, "not a complaint call", []);
            else e = item.Rule switch
            {
                RequireRule r => Require(item, r),
                ForbidRule r => Forbid(item, r),
                FollowUpRule r => FollowUp(item, r),
                BlameRule => Blame(item),
                SignalRule r => Signal(item, r),
                OrderRule r => Order(item, r),
                GreetingRule r => Greeting(item, r),
                ClosingRule r => Closing(item, r),
                HoldRule r => Hold(item, r),
                InterruptionRule r => Interruption(r),
                DeadAirRule r => DeadAir(r),
                ClarifyRule => Clarify(item),
                ApologyRule r => Apology(item, r),
                EmotionFirstRule r => EmotionFirst(r),
                RefusalAlternativeRule r => RefusalAlternative(item, r),
                SilentCallRule r => SilentCall(item, r),
                PoorLineRule r => PoorLine(item, r),
                HarassmentRule r => Harassment(item, r),
                NegativeEndRule r => NegativeEnd(item, r),
                PerfunctoryApologyRule r => Perfunctory(r),
                _ => throw new InvalidOperationException($"rule {item.Rule.Name} has no implementation"),
            };
            return _done[item.Id] = e;
        }

        private double Sure => S.AbsenceConfidence;
        private double Absent => S.AbsenceConfidence * call.RoleFactor;
        private double Conf(MatchHit h) => h.Confidence * call.RoleFactor;
        private double Conf(IEnumerable<MatchHit> hs) => hs.Select(Conf).DefaultIfEmpty(Absent).Max();

        // ---- call facts ------------------------------------------------------------------------------

        public bool IsComplaint => Complaint.IsComplaint;

        private ComplaintFacts Complaint => _complaint ??= ComputeComplaint();

        /// <summary>
        /// A complaint call: a strong complaint phrase in a customer turn; or weak phrases in complaintWeakTurns customer
        /// turns; or, from the customer model, complaintModelTurns customer turns whose complaint probability reaches
        /// complaintModelThreshold (complaintModelWithPhrase when a weak phrase is in the same turn: phrase and model agree).
        /// The phrases are evidence beside the model, not the only way in: customers complain by describing what happened.
        /// </summary>
        private ComplaintFacts ComputeComplaint()
        {
            var strong = call.Find(rubric.ComplaintStrong).Select(h => h.Utterance).Distinct().ToList();
            var weak = call.Find(rubric.ComplaintWeak).Select(h => h.Utterance).Distinct().ToList();
            var probabilities = new Dictionary<int, double>();
            var byModel = new List<int>();
            var byOpening = false;
            var byEnding = false;
            // On a poor line the customer's words are fragments of a bad connection ("喂 … 刷不了 … 呼呼 … 风太大了"), read
            // as they come through: the model's paths do not make a complaint call of it (rubric 2026.17; none of the 54
            // labelled poor-line calls is a complaint call). Its phrases still do.
            var model = PoorLineApplies ? null : reading;
            if (reading is not null)
            {
                var weakSet = weak.ToHashSet();
                foreach (var t in reading.Turns)
                {
                    if (!call.IsCustomer(t.Utterance)) continue;
                    probabilities[t.Utterance] = t.Complaint;
                    var needed = weakSet.Contains(t.Utterance) ? S.ComplaintModelWithPhrase : S.ComplaintModelThreshold;
                    if (t.Complaint >= needed && model is not null) byModel.Add(t.Utterance);
                }
                // A grievance told over several turns: no single turn reads as a complaint, but the customer stays unhappy
                // (complaint + dissatisfaction, not abuse) turn after turn while describing what happened and what it costs.
                // An abusive caller's hostility is not a grievance: only turns that read more grievance than abuse count. A
                // harassment call counts too when its turns do (rubric 2026.16: RUBRIC.md judges an abusive caller who also
                // complains on section C as well; 57 of the 61 labelled harassment calls are complaint calls).
                var unhappy = reading.Turns.Where(t => call.IsCustomer(t.Utterance) && t.Complaint + t.Dissatisfaction >= S.ComplaintUnhappyLevel
                    && t.Abuse < t.Complaint + t.Dissatisfaction).ToList();
                if (byModel.Count == 0 && unhappy.Count >= S.ComplaintUnhappyTurns && model is not null && WholeCallAllows(model))
                    foreach (var t in unhappy.OrderByDescending(t => t.Complaint + t.Dissatisfaction).Take(S.ComplaintModelTurns))
                    {
                        byModel.Add(t.Utterance);
                        probabilities[t.Utterance] = Math.Max(t.Complaint, t.Dissatisfaction);
                    }
                // The customer's opening account read as one turn: a situation and what it costs, told calmly over the first
                // turns, is a grievance even when no single sentence of it reads as one (not an abusive caller's hostility).
                if (byModel.Count == 0 && model is not null && opening is { } o && o.Complaint + o.Dissatisfaction >= S.ComplaintOpeningLevel
                    && o.Abuse < o.Complaint + o.Dissatisfaction && !HarassmentApplies)
                {
                    byOpening = true;
                    byModel.Add(o.Utterance);
                    probabilities[o.Utterance] = Math.Min(1, o.Complaint + o.Dissatisfaction);
                }
            }
            // An opening account borne out: the customer's first turn that says something reads as a grievance and a later
            // turn that says something is clearly unhappy (more grievance than abuse) — a calm
            // complaint told as a story of what happened and what it costs, then pressed. Neither turn alone reaches the
            // single-turn threshold; together they are the complaint's evidence.
            if (model is not null && byModel.Count == 0 && S.ComplaintLaterUnhappy < 1 && WholeCallAllows(model))
            {
                var said = model.Turns.Where(t => call.IsCustomer(t.Utterance) && CustomerStateModel.SaysSomething(call.Utterances[t.Utterance].Text)).ToList();
                if (said.Count >= 2 && said[0].Complaint >= S.ComplaintOpeningGrievance && said[0].Abuse < said[0].Complaint)
                {
                    var later = said.Skip(1).Where(t => t.Complaint + t.Dissatisfaction >= S.ComplaintLaterUnhappy && t.Abuse < t.Complaint + t.Dissatisfaction)
                        .OrderByDescending(t => t.Complaint + t.Dissatisfaction).Take(1).ToList();
                    if (later.Count == 1)
                    {
                        byModel.Add(said[0].Utterance);
                        byModel.Add(later[0].Utterance);
                        probabilities[later[0].Utterance] = Math.Max(later[0].Complaint, later[0].Dissatisfaction);
                    }
                }
            }
            // An opening grievance acknowledged: the customer's first turn that says something reads as a grievance
            // (complaintApologyOpening) and the agent answers it, later in the call, with a sincere apology for a fault (not a
            // perfunctory 不好意思 nor empathy, which enquiries get too: 让您久等了, 别着急) — a calm complaint told as a
            // situation and its cost that the customer does not press, but that both sides treat as a grievance. The evidence
            // stays the customer's turn with its P(complaint).
            // The same opening grievance answered by the agent in so many words as a fault that cost the customer something
            // (complaint.acknowledged: 让您白跑一趟, 确实太耽误您了 — not the empathy enquiries get too, 让您久等了 after a hold,
            // 别着急) is a complaint call as well (rubric 2026.9; the classifier is not needed for it).
            // The same opening grievance answered by the agent blaming someone for it (rubric 2026.22: BLAME_SHIFTING fails by a
            // rule's wording — 这是系统的问题 / 是安装师傅弄错的): the agent treats the account as a fault too, only not its own.
            // 281 of the 284 labelled calls whose BLAME_SHIFTING fails are complaint calls.
            var apologyGate = classifier is not null && S.ComplaintAgentApology < 1;
            var blameGate = S.ComplaintBlameOpening < 1;
            if (model is not null && byModel.Count == 0 && (apologyGate || rubric.ComplaintAcknowledged is not null || blameGate))
            {
                var said = model.Turns.Where(t => call.IsCustomer(t.Utterance) && CustomerStateModel.SaysSomething(call.Utterances[t.Utterance].Text))
                    .Select(t => (CustomerTurnReading?)t).FirstOrDefault();
                if (said is { } first && first.Abuse < first.Complaint)
                {
                    var apologyOpening = first.Complaint >= S.ComplaintApologyOpening;
                    // The apology is one in the APOLOGY item's sense (an apology word, not a silent/poor-line script: "对不起,
                    // 您那边杂音比较大" apologises for the line, not for a fault) that the classifier reads as sincere.
                    var apologySlot = apologyGate && apologyOpening ? rubric.Items.FirstOrDefault(i => i.Rule is ApologyRule)?.Slot("apology") : null;
                    var worded = apologySlot is null ? null : AgentHits(apologySlot).Select(h => h.Utterance).ToHashSet();
                    var sincere = apologyGate && apologyOpening && call.AgentTurns.Any(a => a > first.Utterance && (worded is null || worded.Contains(a))
                        && P(a, UtteranceLabels.SincereApology) >= S.ComplaintAgentApology);
                    var acknowledged = !sincere && apologyOpening && rubric.ComplaintAcknowledged is { } ack
                        && call.Find(ack).Any(h => h.Utterance > first.Utterance && call.IsAgent(h.Utterance));
                    var blamed = !sincere && !acknowledged && blameGate && first.Complaint >= S.ComplaintBlameOpening && AgentBlamesAfter(first.Utterance);
                    if (sincere || acknowledged || blamed) byModel.Add(first.Utterance);
                }
            }
            // An unhappy ending (rubric 2026.15): the ending model reads the customer as leaving the call unhappy — resigned,
            // sarcastic, still disputing — so the customer has expressed dissatisfaction even when no turn was told in a
            // complaint's words (a sarcastic account, a fee the agent argues for, a loss the agent blames on others). Not on
            // the special calls, whose last words are the protocol's: an abusive caller's abuse, "喂?听不见" on a poor line.
            // The evidence is that last turn with its probability.
            if (model?.Ending is { } ending && byModel.Count == 0 && strong.Count == 0 && weak.Count < S.ComplaintWeakTurns
                && ending.Negative >= S.ComplaintUnhappyEnding && !HarassmentApplies && !SilentCallApplies
                && call.IsCustomer(ending.Utterance))
            {
                byEnding = true;
                byModel.Add(ending.Utterance);
                probabilities[ending.Utterance] = ending.Negative;
            }
            // The whole call read as a complaint (rubric 2026.29): the call-complaint model reads everything the customer says
            // together — a grievance told calmly as a story (a course card over-deducted, medicine five hours late plus a
            // night fee), none of whose turns reads as a complaint on its own. Only where no other path has found one and
            // the phrases are silent; not on a poor line (model is null there). The evidence is the customer's most
            // unhappy turn that says something, with the call's probability.
            var byCall = false;
            if (model?.CallComplaint is { } whole && byModel.Count == 0 && strong.Count == 0 && weak.Count < S.ComplaintWeakTurns
                && whole >= S.ComplaintCallModel && MostUnhappyCustomerTurn(model) is { } carrier)
            {
                byCall = true;
                byModel.Add(carrier);
                probabilities[carrier] = whole;
            }
            // The phrases are evidence, not the gate (rubric 2026.29): a complaint marker heard in a call the call-complaint
            // model reads as clearly no complaint — 好多次 of a game played many times, 一直 of a neutral sentence — does
            // not make it one by itself (complaintPhraseVeto; the model paths above still can). A restraint, not a path, so
            // it holds on a poor line too, where a fragment (那个 什么 服务区) is all the phrases hear.
            var byPhrase = (strong.Count > 0 || weak.Count >= S.ComplaintWeakTurns) && (reading?.CallComplaint is not { } read || read >= S.ComplaintPhraseVeto);
            var isComplaint = byPhrase || (byModel.Count > 0 && byModel.Count >= S.ComplaintModelTurns) || byOpening || byEnding || byCall;
            // The fault owned (rubric 2026.33): the agent says in so many words that what the customer told of is the
            // company's fault (这是我们的问题 / 是我们的失误 / 是我们没做好) — both sides treat the account as a fault that cost
            // the customer something, however calmly or sarcastically it was told. Not on the special calls (a poor line,
            // a silent caller). The evidence is the customer turn before the admission that reads most unhappy (the one
            // just before it without the model).
            // The dissatisfaction heard (rubric 2026.38): the agent names what the customer feels about it (换作是我也会很失望 /
            // 听得出来您对效果特别失望 / 换谁都会窝火) — the customer has expressed it, in whatever words; the same evidence.
            var owned = isComplaint || PoorLineApplies || SilentCallApplies ? null
                : new[] { rubric.ComplaintAdmitted, rubric.ComplaintHeard }.OfType<Matcher>()
                    .SelectMany(call.Find).Where(h => call.IsAgent(h.Utterance))
                    .Select(h => AdmittedGrievance(h.Utterance)).FirstOrDefault(told => told is not null);
            isComplaint |= owned is not null;
            if (!isComplaint) return new ComplaintFacts(false, [], probabilities);
            // The turns that carry it: the model's most confident complaint turns and the phrase turns, first ones first.
            var turns = byModel.OrderByDescending(u => probabilities[u]).Take(2)
                .Concat(owned is { } o2 ? [o2] : [])
                .Concat(strong.Take(2)).Concat(strong.Count == 0 ? weak.Take(2) : [])
                .Distinct().Order().Take(3).ToList();
            return new ComplaintFacts(true, turns, probabilities);
        }

        /// <summary>The customer turn an agent's admission of fault at <paramref name="admission"/> answers: of the customer
        /// turns before it that say something, the one the customer model reads most unhappy (the last one without the
        /// model); null when the customer has said nothing yet.</summary>
        private int? AdmittedGrievance(int admission)
        {
            var before = call.CustomerTurns.Where(u => u < admission && CustomerStateModel.SaysSomething(call.Utterances[u].Text)).ToList();
            if (before.Count == 0) return null;
            if (reading is null) return before[^1];
            var unhappy = reading.Turns.Where(t => before.Contains(t.Utterance)).ToList();
            return unhappy.Count == 0 ? before[^1] : unhappy.MaxBy(t => t.Complaint + t.Dissatisfaction).Utterance;
        }

        /// <summary>The paths that add up single turns none of which is a complaint on its own (several unhappy turns, an
        /// opening borne out) need the call-complaint model's reading of the whole call to be at least complaintCallVeto
        /// (rubric 2026.29): a change of plan told with its background and a price the customer weighs aloud read as
        /// unhappy turn by turn, not as a complaint call. Without the call-complaint model they stand as they are.</summary>
        private bool WholeCallAllows(CustomerReading model) => model.CallComplaint is not { } whole || whole >= S.ComplaintCallVeto;

        /// <summary>The customer turn that says something whose complaint + dissatisfaction is highest (the first of equals);
        /// null when the customer says nothing.</summary>
        private int? MostUnhappyCustomerTurn(CustomerReading model)
        {
            int? best = null;
            var most = double.NegativeInfinity;
            foreach (var t in model.Turns)
            {
                if (!call.IsCustomer(t.Utterance) || !CustomerStateModel.SaysSomething(call.Utterances[t.Utterance].Text)) continue;
                if (t.Complaint + t.Dissatisfaction > most) { most = t.Complaint + t.Dissatisfaction; best = t.Utterance; }
            }
            return best;
        }

        /// <summary>BLAME_SHIFTING fails by a rule's wording (not the classifier alone, not "needs listening") in an agent turn
        /// after <paramref name="utterance"/>.</summary>
        private bool AgentBlamesAfter(int utterance)
        {
            if (rubric.Items.FirstOrDefault(i => i.Rule is BlameRule) is not { } blame) return false;
            var e = Evaluate(blame);
            return e.Result == Results.Fail && e.Confidence >= S.ConfidenceThreshold && e.Evidence.Any(u => u > utterance);
        }

        private IReadOnlyList<int> ComplaintEvidence() => Complaint.Turns.Count > 0 ? Complaint.Turns : call.CustomerTurns.Take(1).ToArray();

        private bool HarassmentApplies => _harassment ??= rubric.Items.FirstOrDefault(i => i.Rule is HarassmentRule) is { Rule: HarassmentRule hr } h && AbuseTurns(h).Count >= hr.MinTurns;

        /// <summary>The customer turns that abuse or harass: an abuse phrase, or the customer turn the agent answers by naming
        /// the conduct (slot <c>named</c>: 请您注意言辞 / 文明用语 / 您的言语已经对我造成了骚扰 / 第二次提醒) — harassment
        /// without an oath (a caller asking the agent for her WeChat and photos) is heard through the agent's reaction.</summary>
        private List<int> AbuseTurns(RubricItem h)
        {
            // asked by HARASSMENT, the harassment gate (complaint, CLARIFY, NEGATIVE_END) and CalmedDown: found once per item
            if (_abuse is { } cached && ReferenceEquals(cached.Item, h)) return cached.Turns;
            var found = FindAbuseTurns(h);
            _abuse = (h, found);
            return found;
        }

        private (RubricItem Item, List<int> Turns)? _abuse;

        private List<int> FindAbuseTurns(RubricItem h)
        {
            var turns = call.Find(h.Slot("abuse")).Where(x => call.IsCustomer(x.Utterance)).Select(x => x.Utterance).ToHashSet();
            foreach (var named in AgentHits(h.Slot("named")))
            {
                var k = Array.BinarySearch(call.CustomerTurns, named.Utterance);
                if (k < 0) k = ~k;
                if (k > 0) turns.Add(call.CustomerTurns[k - 1]);
            }
            return turns.Order().ToList();
        }

        /// <summary>The agent says it cannot hear the customer (POOR_LINE applies).</summary>
        private bool PoorLineApplies => _poorLine ??= rubric.Items.FirstOrDefault(i => i.Rule is PoorLineRule) is { } p && AgentHits(p.Slot("signal")).Count > 0;

        private bool SilentCallApplies => _silent ??= rubric.Items.FirstOrDefault(i => i.Rule is SilentCallRule) is { Rule: SilentCallRule s } && SilentApplies(s);

        private bool SilentApplies(SilentCallRule rule)
        {
            if (call.AgentTurns.Length == 0) return false;
            var window = rule.WindowSec;
            var firstCustomer = call.CustomerTurns.Length > 0 ? call.Utterances[call.CustomerTurns[0]].Start : double.PositiveInfinity;
            var lastAgentEnd = call.Utterances[call.AgentTurns[^1]].End;
            return firstCustomer > window && firstCustomer >= lastAgentEnd;
        }

        private IEnumerable<int> AgentTurnsAround(int utterance, int before, int after)
        {
            var k = Array.BinarySearch(call.AgentTurns, utterance);
            if (k < 0) yield break;
            for (var j = Math.Max(0, k - before); j <= Math.Min(call.AgentTurns.Length - 1, k + after); j++) yield return call.AgentTurns[j];
        }

        private List<MatchHit> AgentHits(Matcher? m)
        {
            var all = call.Find(m);
            var hits = new List<MatchHit>(all.Count);
            foreach (var h in all) if (call.IsAgent(h.Utterance)) hits.Add(h);
            return hits;
        }

        // ---- generic rules ---------------------------------------------------------------------------

        private Eval Require(RubricItem item, RequireRule rule)
        {
            if (item.Slot("applies") is { } applies && call.Find(applies).Count == 0)
                return new Eval(Results.Na, Sure, "condition for the item not met", []);
            var hits = call.Find(item.Slot("pass"));
            if (hits.Count > 0) return new Eval(Results.Pass, Conf(hits[0]), null, [hits[0].Utterance]);
            return item.ComplaintOnly
                ? new Eval(Results.Fail, Absent, rule.FailReason, ComplaintEvidence(), Probabilities: Complaint.Probabilities)
                : new Eval(Results.Fail, Absent, rule.FailReason, call.AgentTurns.TakeLast(1).ToArray());
        }

        /// <summary>
        /// FOLLOW_UP: the agent's commitment with a time frame (<c>pass</c>); or a confirmation on the call that it is
        /// solved — the agent's (<c>confirmed</c>) or the customer's own after the agent has answered the opening account (<c>solved</c>: 可以了,
        /// 已经解决了, 退款已收到; "confirms the problem is solved on the call" does not need the agent to repeat what the
        /// customer just said) — unless the customer says later in the call that it still is not (<c>unsolved</c>).
        /// </summary>
        private Eval FollowUp(RubricItem item, FollowUpRule rule)
        {
            var hits = AgentHits(item.Slot("pass"));
            if (hits.Count > 0) return new Eval(Results.Pass, Conf(hits[0]), null, [hits[0].Utterance]);
            if (call.AgentTurns.Length > 0)
            {
                // The customer's confirmation answers the agent's handling: it comes after the agent's first reply to the
                // customer's opening account, not inside that account ("钱我收到了,可我不要钱啊" states the grievance): 2026.26.
                var opening = call.CustomerTurns.Length > 0 ? call.CustomerTurns[0] : -1;
                var firstAgent = call.AgentTurns.Where(a => a > opening).DefaultIfEmpty(call.AgentTurns[0]).First();
                var unsolved = call.Find(item.Slot("unsolved")).Where(h => call.IsCustomer(h.Utterance)).Select(h => h.Utterance).DefaultIfEmpty(-1).Max();
                var confirmed = AgentHits(item.Slot("confirmed")).Where(h => h.Utterance > unsolved).Select(h => (MatchHit?)h).FirstOrDefault();
                if (confirmed is { } c) return new Eval(Results.Pass, Conf(c), null, [c.Utterance]);
                var solved = call.Find(item.Slot("solved"))
                    .Where(h => call.IsCustomer(h.Utterance) && h.Utterance > firstAgent && h.Utterance > unsolved)
                    .Select(h => (MatchHit?)h).LastOrDefault();
                if (solved is { } s)
                    return new Eval(Results.Pass, Conf(s), "the customer confirms on the call that it is solved", [s.Utterance]);
                if (CheckedOnTheCall(item, firstAgent, unsolved) is { } ch)
                    return new Eval(Results.Pass, Math.Min(Conf(ch.Asked), Conf(ch.Seen)), "the customer checks on the call and sees it done",
                        [ch.Asked.Utterance, ch.Seen.Utterance]);
            }
            return new Eval(Results.Fail, Absent, rule.FailReason, ComplaintEvidence(), Probabilities: Complaint.Probabilities);
        }

        /// <summary>The agent asks the customer to look (slot <c>checkAsked</c>: 您刷新一下看看 / 收到了吗) and the customer's next
        /// turn sees it done (slot <c>checked</c>: 嗯,看到了 / 到了到了) — the fix confirmed on the call by the customer's own
        /// check (2026.37); not in the opening account, not before a later "still not".</summary>
        private (MatchHit Asked, MatchHit Seen)? CheckedOnTheCall(RubricItem item, int firstAgent, int unsolved)
        {
            if (item.Slot("checkAsked") is null || item.Slot("checked") is null) return null;
            var asked = AgentHits(item.Slot("checkAsked"));
            foreach (var seen in call.Find(item.Slot("checked")).Where(h => call.IsCustomer(h.Utterance) && h.Utterance > firstAgent && h.Utterance > unsolved).Reverse())
            {
                var before = call.AgentTurns.Where(a => a < seen.Utterance).DefaultIfEmpty(-1).Max();
                if (asked.FirstOrDefault(a => a.Utterance == before) is { Confidence: > 0 } a) return (a, seen);
            }
            return null;
        }

        private Eval Forbid(RubricItem item, ForbidRule rule)
        {
            var hits = call.Find(item.Slot("fail"));
            if (hits.Count > 0)
                return new Eval(Results.Fail, Conf(hits), rule.FailReason, hits.Select(h => h.Utterance).ToList());
            return new Eval(Results.Pass, Absent, null, []);
        }

        private Eval Signal(RubricItem item, SignalRule rule)
        {
            var hits = call.Find(item.Slot("fire"));
            if (hits.Count == 0) return new Eval(Results.Na, Sure, null, []);
            if (!rule.CustomerModel || reading is null)
                return new Eval(Results.Fire, Conf(hits), rule.Reason, hits.Select(h => h.Utterance).ToList());
            // The phrase and the customer model together: the evidence shows how unhappy the model reads the turn; a
            // turn the model reads as satisfied (satisfiedVeto or more: "no, I won't complain, thank you") blends the
            // phrase with that reading and stays below the confidence threshold (needs listening, no flag). A calm
            // threat is still a threat (QA leads flag "I'll call the media" said politely), so calm alone lowers nothing.
            var probabilities = new Dictionary<int, double>();
            var conf = 0.0;
            foreach (var h in hits)
            {
                var r = Customer(h.Utterance);
                if (r is { } rv) probabilities[h.Utterance] = Negativity(rv);
                conf = Math.Max(conf, r is { } sv && sv.Satisfied >= rule.SatisfiedVeto ? Blend(Conf(h), 1 - sv.Satisfied) : Conf(h));
            }
            return new Eval(Results.Fire, conf, rule.Reason, hits.Select(h => h.Utterance).ToList(), Probabilities: probabilities);
        }

        private Eval Order(RubricItem item, OrderRule rule)
        {
            var first = call.Find(item.Slot("first"));
            var then = call.Find(item.Slot("then"));
            if (first.Count == 0 || then.Count == 0) return new Eval(Results.Na, Sure, "one of the two steps is missing", []);
            var ok = Before(first[0], then[0]);
            return new Eval(ok ? Results.Pass : Results.Fail, Math.Min(Conf(first[0]), Conf(then[0])),
                ok ? null : rule.FailReason, [first[0].Utterance, then[0].Utterance]);
        }

        private static bool Before(MatchHit a, MatchHit b) => a.Utterance < b.Utterance || (a.Utterance == b.Utterance && a.Start < b.Start);

        // ---- classifier ------------------------------------------------------------------------------

        private UtteranceClassification? Classify(int u)
        {
            if (classifier is null) return null;
            if (_classified.TryGetValue(u, out var c)) return c;
            string? prevCustomer = null, nextAgent = null;
            for (var i = u - 1; i >= 0 && prevCustomer is null; i--) if (call.IsCustomer(i)) prevCustomer = call.Utterances[i].Text;
            for (var i = u + 1; i < call.Utterances.Count && nextAgent is null; i++) if (call.IsAgent(i)) nextAgent = call.Utterances[i].Text;
            return _classified[u] = classifier.Classify(new UtteranceContext(call.Utterances[u].Text, prevCustomer, nextAgent));
        }

        private double P(int u, string label) => Classify(u)?.Probabilities.GetValueOrDefault(label) ?? double.NaN;

        private double Blend(double ruleConfidence, double agreement) =>
            double.IsNaN(agreement) ? ruleConfidence : (1 - S.ClassifierWeight) * ruleConfidence + S.ClassifierWeight * agreement;

        // ---- section A -------------------------------------------------------------------------------

        private Eval Greeting(RubricItem item, GreetingRule rule)
        {
            if (call.AgentTurns.Length == 0) return new Eval(Results.Fail, Absent, "the agent never speaks", call.CustomerTurns.Take(1).ToArray());
            var window = rule.WindowSec;
            var first = call.AgentTurns[0];
            var t0 = call.Utterances[first].Start;
            var opening = new List<int>();
            for (var i = first; i < call.Utterances.Count && call.IsAgent(i) && call.Utterances[i].Start <= t0 + window; i++) opening.Add(i);
            var hello = opening.Select(i => call.FindIn(item.Slot("hello"), i)).FirstOrDefault(h => h is not null);
            var offer = opening.Select(i => call.FindIn(item.Slot("offer"), i)).FirstOrDefault(h => h is not null);
            if (hello is { } h && offer is { } o)
                return new Eval(Results.Pass, Math.Min(Conf(h), Conf(o)), null, [h.Utterance, o.Utterance]);
            var reason = hello is null && offer is null ? "no greeting and no offer of help"
                : hello is null ? "no greeting (您好)" : "greeting without an offer of help";
            if (call.FindIn(item.Slot("bare"), first) is not null && offer is null) reason = "opens with a bare 喂";
            return new Eval(Results.Fail, Absent, reason, opening);
        }

        private Eval Closing(RubricItem item, ClosingRule rule)
        {
            if (call.AgentTurns.Length == 0) return new Eval(Results.Fail, Absent, "the agent never speaks", []);
            var last = call.AgentTurns.TakeLast(rule.LastTurns).ToArray();
            foreach (var u in last.Reverse())
                if (call.FindIn(item.Slot("farewell"), u) is { } h) return new Eval(Results.Pass, Conf(h), null, [u]);
            return new Eval(Results.Fail, Absent, "the call ends with no farewell from the agent", [last[^1]]);
        }

        /// <summary>True when <paramref name="h"/> lies inside the customer's complaint restated to confirm it (slot
        /// <paramref name="restated"/>: the span from 您是说 to the confirming tag 对吗).</summary>
        private bool InRestatement(Matcher? restated, MatchHit h) =>
            restated is not null && call.FindIn(restated, h.Utterance) is { } r && r.Start <= h.Start && h.End <= r.End;

        private Eval Blame(RubricItem item)
        {
            var hits = AgentHits(item.Slot("fail")).Concat(AgentHits(item.Slot("policy"))).Where(h => !InRestatement(item.Slot("restated"), h)).ToList();
            if (hits.Count > 0)
            {
                var conf = hits.Select(h => Blend(Conf(h), P(h.Utterance, UtteranceLabels.BlameShifting))).Max();
                return new Eval(Results.Fail, conf, "blames the system, a colleague, policy or the customer", hits.Select(h => h.Utterance).ToList());
            }
            if (classifier is not null)
            {
                var best = call.AgentTurns.Select(u => (u, p: P(u, UtteranceLabels.BlameShifting))).Where(x => !double.IsNaN(x.p)).OrderByDescending(x => x.p).FirstOrDefault();
                if (best.p >= S.ClassifierOnlyThreshold)
                    // The model alone, without a rule's wording, is not enough to move the score: low confidence on purpose.
                    return new Eval(Results.Fail, best.p * S.ClassifierWeight, "the classifier reads this turn as blame-shifting (no rule phrase)", [best.u]);
                var maxP = call.AgentTurns.Select(u => P(u, UtteranceLabels.BlameShifting)).DefaultIfEmpty(0).Max();
                return new Eval(Results.Pass, Blend(Absent, 1 - maxP), null, []);
            }
            return new Eval(Results.Pass, Absent, null, []);
        }

        private Eval Hold(RubricItem item, HoldRule rule)
        {
            var min = rule.MinSilenceSec;
            var lookBack = rule.LookBackTurns;
            var thanksTurns = rule.ThanksTurns;
            if (call.Utterances.Count < 2) return new Eval(Results.Na, call.TimingConfidence, "no mid-call silence", []);
            var firstEnd = call.Utterances[0].End;
            var lastStart = call.Utterances[^1].Start;
            var holds = call.Silences.Where(s => s.End - s.Start >= min && s.Start >= firstEnd - 0.01 && s.End <= lastStart + 0.01).ToList();
            if (holds.Count == 0) return new Eval(Results.Na, call.TimingConfidence, $"no mid-call silence of {min:0.#} s or more", []);
            var evidence = new List<int>();
            var problems = new List<string>();
            var conf = call.TimingConfidence;
            // A pause the customer asked for (我去拿一下卡,您稍等) is not the agent's hold.
            holds.RemoveAll(s =>
            {
                var before = call.LastEndedBy(s.Start + 0.5);
                return before >= 0 && call.IsCustomer(before) && call.FindIn(item.Slot("wait"), before) is not null;
            });
            if (holds.Count == 0) return new Eval(Results.Na, call.TimingConfidence, "the only long pauses were asked for by the customer", []);
            foreach (var s in holds)
            {
                var before = call.LastEndedBy(s.Start + 0.5, call.AgentTurns, lookBack);
                var after = call.AgentTurns.Skip(call.FirstStartingAt(call.AgentTurns, s.End - 0.5)).Take(thanksTurns).ToList();
                var wait = before.Select(u => call.FindIn(item.Slot("wait"), u)).LastOrDefault(h => h is not null);
                var thanks = after.Select(u => call.FindIn(item.Slot("thanks"), u)).FirstOrDefault(h => h is not null);
                var at = $"{s.End - s.Start:0.#} s silence at {s.Start:0.#} s";
                if (wait is null) problems.Add($"{at} without a request to wait");
                if (thanks is null) problems.Add($"{at} without thanks afterwards");
                evidence.AddRange(before.TakeLast(1));
                evidence.AddRange(after);
                if (wait is { } w) conf = Math.Min(conf, Conf(w));
                if (thanks is { } t) conf = Math.Min(conf, Conf(t));
            }
            return problems.Count == 0
                ? new Eval(Results.Pass, conf, null, evidence)
                : new Eval(Results.Fail, Math.Min(conf, call.TimingConfidence * call.RoleFactor), string.Join("; ", problems), evidence);
        }

        private Eval Interruption(InterruptionRule rule)
        {
            if (call.IsMono) return new Eval(Results.Na, Sure, "needs stereo timings; mono call", []);
            var min = rule.MinOverlapSec;
            var max = rule.MaxCount;
            var overlaps = call.Overlaps.Where(o => o.Interrupter == Speakers.Agent && o.End - o.Start >= min - 1e-9).ToList();
            var evidence = overlaps.Select(o => NearestAgentTurn(o.Start)).Where(u => u >= 0).ToList();
            return overlaps.Count > max
                ? new Eval(Results.Fail, call.TimingConfidence, $"the agent talked over the customer {overlaps.Count} times (≥ {min:0.#} s each)", evidence)
                : new Eval(Results.Pass, call.TimingConfidence, overlaps.Count == 0 ? null : $"{overlaps.Count} interruption(s), within the allowed {max}", []);
        }

        /// <summary>The agent turn starting nearest to <paramref name="time"/> (the earlier on a tie), or −1.</summary>
        private int NearestAgentTurn(double time)
        {
            var turns = call.AgentTurns;
            if (turns.Length == 0) return -1;
            var k = call.FirstStartingAt(turns, time);
            if (k == turns.Length) return turns[^1];
            if (k == 0) return turns[0];
            return Math.Abs(call.Utterances[turns[k - 1]].Start - time) <= Math.Abs(call.Utterances[turns[k]].Start - time) ? turns[k - 1] : turns[k];
        }

        private Eval DeadAir(DeadAirRule rule)
        {
            if (SilentCallApplies) return new Eval(Results.Na, Sure, "silent call: the protocol itself waits", []);
            if (call.Duration <= 0) return new Eval(Results.Na, Sure, "empty call", []);
            var maxGap = rule.MaxSilenceSec;
            var maxRatio = rule.MaxRatio;
            var total = call.Silences.Sum(s => Math.Max(0, Math.Min(s.End, call.Duration) - Math.Max(0, s.Start)));
            var longest = call.Silences.OrderByDescending(s => s.End - s.Start).FirstOrDefault();
            var ratio = total / call.Duration;
            var problems = new List<string>();
            var evidence = new List<int>();
            if (longest is not null && longest.End - longest.Start > maxGap)
            {
                problems.Add($"{longest.End - longest.Start:0.#} s of silence at {longest.Start:0.#} s");
                var before = call.LastEndedBy(longest.Start + 0.01);
                var afterAt = call.FirstStartingAt(call.AllTurns, longest.End - 0.01);
                var after = afterAt < call.Utterances.Count ? afterAt : -1;
                if (before >= 0) evidence.Add(before);
                if (after >= 0) evidence.Add(after);
            }
            if (ratio >= maxRatio) problems.Add($"silence is {ratio:P0} of the call");
            return problems.Count == 0
                ? new Eval(Results.Pass, call.TimingConfidence, null, [])
                : new Eval(Results.Fail, call.TimingConfidence, string.Join("; ", problems), evidence);
        }

        // ---- section B -------------------------------------------------------------------------------

        private Eval Clarify(RubricItem item)
        {
            if (call.CustomerTurns.Length == 0) return new Eval(Results.Na, Sure, "the customer never speaks", []);
            var issue = call.Find(item.Slot("issue")).Where(h => call.IsCustomer(h.Utterance)).ToList();
            if (issue.Count == 0) return new Eval(Results.Na, Sure, "the customer describes no problem", []);
            foreach (var slot in new[] { "question", "restate", "confirm" })
            {
                var hits = AgentHits(item.Slot(slot));
                if (hits.Count > 0) return new Eval(Results.Pass, Conf(hits[0]), null, [hits[0].Utterance]);
            }
            // A harassing caller's words are not a problem to clarify; when such a caller also had a real request, the
            // agent who clarified it passes above, and one who did not is not failed on a harassment call.
            if (HarassmentApplies && !IsComplaint) return new Eval(Results.Na, Sure, "harassing caller, no problem described", []);
            return new Eval(Results.Fail, Absent, "the agent never asks about or confirms the problem", [issue[0].Utterance]);
        }

        // ---- section C -------------------------------------------------------------------------------

        private sealed record ApologyTurn(int Utterance, MatchHit Hit, bool Sincere, bool Perfunctory, int? HelpAt, string Why);

        private bool Has(Matcher? slot, int u) => slot is not null && call.FindIn(slot, u) is not null;

        private List<ApologyTurn> Apologies(RubricItem item)
        {
            if (_apologies is not null) return _apologies;
            var helpTurns = item.Rule is ApologyRule ar ? ar.HelpTurns : 2;
            var list = new List<ApologyTurn>();
            foreach (var h in AgentHits(item.Slot("apology")))
            {
                var u = h.Utterance;
                var help = item.Slot("help");
                var excuse = !Has(help, u) && Has(item.Slot("excuse"), u);
                var after = AgentTurnsAround(u, 0, helpTurns).FirstOrDefault(a => Has(help, a), -1);
                var before = AgentTurnsAround(u, helpTurns, 0).Any(a => a != u && Has(help, a));
                // An apology with the concrete help already under way (procedure first, then the apology) is sincere too when
                // the same turn acknowledges the customer's trouble or owns the fault (slots `acknowledges`, `owned`: 耽误您的事
                //了,真的不好意思 / 是我们跟进得不好,真的很抱歉) and is not itself a refusal (slot `refusal`: 抱歉,这个确实退不了);
                // not a bare 不好意思,前面的工单可能还在处理当中. EMOTION_FIRST, not APOLOGY, marks the order (2026.27).
                var afterHelp = before && after < 0
                    && (Has(item.Slot("acknowledges"), u) || Has(item.Slot("owned"), u))
                    && !Has(item.Slot("refusal"), u);
                var sincere = !excuse && (after >= 0 || afterHelp);
                var perfunctory = excuse || (after < 0 && !before);
                var why = excuse ? "apology paired with a refusal, a rule or an excuse"
                    : after < 0 && !before ? "apology with no action in the next agent turns"
                    : after < 0 ? "the help came before the apology, none after it" : "apology followed by help";
                list.Add(new ApologyTurn(u, h, sincere, perfunctory, after >= 0 ? after : null, why));
            }
            return _apologies = list;
        }

        private Eval Apology(RubricItem item, ApologyRule rule)
        {
            var apologies = Apologies(item);
            if (apologies.Count == 0) return new Eval(Results.Fail, Absent, "no apology", ComplaintEvidence(), Probabilities: Complaint.Probabilities);
            var sincere = apologies.FirstOrDefault(a => a.Sincere);
            if (sincere is not null)
            {
                var p = P(sincere.Utterance, UtteranceLabels.SincereApology);
                var q = P(sincere.Utterance, UtteranceLabels.PerfunctoryApology);
                var agreement = double.IsNaN(p) ? double.NaN : p + q > 0 ? p / (p + q) : 0.5;
                return new Eval(Results.Pass, Blend(Conf(sincere.Hit), agreement), null,
                    sincere.HelpAt is { } at ? [sincere.Utterance, at] : [sincere.Utterance]);
            }
            var perf = apologies.Select(a => Blend(Conf(a.Hit), PerfAgreement(a.Utterance))).Max();
            return new Eval(Results.Fail, perf, "perfunctory: " + apologies[0].Why, apologies.Select(a => a.Utterance).ToList());
        }

        private double PerfAgreement(int u)
        {
            var p = P(u, UtteranceLabels.SincereApology);
            var q = P(u, UtteranceLabels.PerfunctoryApology);
            return double.IsNaN(q) ? double.NaN : p + q > 0 ? q / (p + q) : 0.5;
        }

        private Eval Perfunctory(PerfunctoryApologyRule rule)
        {
            var apologyItem = rubric.Item(rule.ApologyItem);
            if (apologyItem is null) return new Eval(Results.Na, Sure, null, []);
            var fired = new List<int>();
            double conf = 0;
            var unfiredBefore = false;   // an earlier apology of the call that was not perfunctory
            // RUBRIC.md E: the classifier's probability that an apology was perfunctory reaches the threshold. For a turn
            // that apologises, that is P(perfunctory_apology) + P(blame_shifting): an apology paired with blame is
            // perfunctory by APOLOGY's own definition ("paired with … an excuse"). The phrase rules' perfunctory reading
            // (an excuse phrase, no help in the next turns) decides APOLOGY; it fires the signal only when no classifier
            // is loaded (docs/rubric-authoring.md, Rubric 2026.19).
            foreach (var a in Apologies(apologyItem))
            {
                if (classifier is null)
                {
                    if (!a.Perfunctory) continue;
                    fired.Add(a.Utterance);
                    conf = Math.Max(conf, Conf(a.Hit));
                    continue;
                }
                // An apology that owns the fault (slot `owned`, rubric 2026.25) is the opposite of one paired with an excuse;
                // the classifier reads "是我们的差错,真的很抱歉" at the end of a turn, the help in the next, as flat.
                if (Has(apologyItem.Slot("owned"), a.Utterance)) { unfiredBefore = true; continue; }
                // The apology said again (slot `repeated`, 再次…抱歉, rubric 2026.30) stands for the earlier one: after an
                // apology that was not flat, it is the closing courtesy, not a second, empty apology.
                if (unfiredBefore && Has(apologyItem.Slot("repeated"), a.Utterance)) continue;
                var q = P(a.Utterance, UtteranceLabels.PerfunctoryApology) + P(a.Utterance, UtteranceLabels.BlameShifting);
                if (double.IsNaN(q) || q < S.PerfunctoryThreshold) { unfiredBefore = true; continue; }
                fired.Add(a.Utterance);
                conf = Math.Max(conf, Blend(Conf(a.Hit), Math.Min(1, q)));
            }
            return fired.Count > 0
                ? new Eval(Results.Fire, conf, "an apology to the complaint was perfunctory", fired)
                : new Eval(Results.Na, Sure, null, []);
        }

        private Eval EmotionFirst(EmotionFirstRule rule)
        {
            var empathyItem = rubric.Item(rule.EmpathyItem);
            var apologyItem = rubric.Item(rule.ApologyItem);
            var solutionItem = rubric.Item(rule.SolutionItem);
            if (solutionItem is null || (empathyItem is null && apologyItem is null))
                return new Eval(Results.Na, Sure, "the rubric lacks the items this one compares", []);
            var solution = Evaluate(solutionItem);
            var empathy = empathyItem is null ? null : Evaluate(empathyItem);
            var apology = apologyItem is null ? null : Evaluate(apologyItem);
            if (solution.Result != Results.Pass || (empathy?.Result != Results.Pass && apology?.Result != Results.Pass))
                return new Eval(Results.Na, Sure, "needs a solution and an acknowledgement", []);
            var acks = new List<MatchHit>();
            if (empathyItem is not null) acks.AddRange(AgentHits(empathyItem.Slot("pass")));
            if (apologyItem is not null) acks.AddRange(Apologies(apologyItem).Select(a => a.Hit));
            var firstSolution = AgentHits(solutionItem.Slot("pass")).FirstOrDefault();
            var firstAck = acks.OrderBy(h => h.Utterance).ThenBy(h => h.Start).FirstOrDefault();
            if (acks.Count == 0) return new Eval(Results.Na, Sure, "no acknowledgement found", []);
            var ok = Before(firstAck, firstSolution);
            return new Eval(ok ? Results.Pass : Results.Fail, Math.Min(Conf(firstAck), Conf(firstSolution)),
                ok ? null : "the agent went to procedure before acknowledging the customer's feelings",
                [firstAck.Utterance, firstSolution.Utterance]);
        }

        private Eval RefusalAlternative(RubricItem item, RefusalAlternativeRule rule)
        {
            var next = rule.NextTurns;
            var refusals = AgentHits(item.Slot("refusal"));
            if (refusals.Count == 0) return new Eval(Results.Na, Sure, "no refusal", []);
            var bare = new List<int>();
            var softened = new List<int>();
            double conf = 1;
            foreach (var r in refusals)
            {
                var alt = AgentTurnsAround(r.Utterance, 0, next)
                    .Select(a => call.FindIn(item.Slot("alternative"), a) ?? (a != r.Utterance ? call.FindIn(item.Slot("nextStep"), a) : null))
                    .FirstOrDefault(h => h is not null);
                conf = Math.Min(conf, Conf(r));
                if (alt is { } a) { softened.Add(r.Utterance); softened.Add(a.Utterance); conf = Math.Min(conf, Conf(a)); }
                else bare.Add(r.Utterance);
            }
            return bare.Count > 0
                ? new Eval(Results.Fail, conf, "a refusal with no alternative offered", bare)
                : new Eval(Results.Pass, conf, null, softened);
        }

        // ---- section D -------------------------------------------------------------------------------

        private Eval SilentCall(RubricItem item, SilentCallRule rule)
        {
            if (!SilentApplies(rule)) return new Eval(Results.Na, call.TimingConfidence, "the customer speaks", []);
            var minPrompts = rule.MinPrompts;
            var minGap = rule.MinGapSec;
            var rude = AgentHits(item.Slot("rude"));
            var prompts = new List<int>();
            double lastEnd = double.NegativeInfinity;
            foreach (var u in call.AgentTurns)
            {
                if (call.FindIn(item.Slot("prompt"), u) is null) continue;
                var utt = call.Utterances[u];
                if (prompts.Count == 0 || utt.Start - lastEnd >= minGap) prompts.Add(u);
                lastEnd = utt.End;
            }
            var closing = call.AgentTurns.Where(u => prompts.Count == 0 || u >= prompts[^1])
                .Select(u => call.FindIn(item.Slot("closing"), u)).FirstOrDefault(h => h is not null);
            var problems = new List<string>();
            if (rude.Count > 0) problems.Add("rude prompt");
            if (prompts.Count < minPrompts) problems.Add($"{prompts.Count} polite prompt(s), {minPrompts} needed {minGap:0.#} s apart");
            if (closing is null) problems.Add("no closing script (please call again from another phone)");
            var conf = call.TimingConfidence * call.RoleFactor;
            return problems.Count == 0
                ? new Eval(Results.Pass, Math.Min(conf, Conf(closing!.Value)), null, [.. prompts, closing!.Value.Utterance])
                : new Eval(Results.Fail, conf, string.Join("; ", problems), rude.Count > 0 ? rude.Select(h => h.Utterance).ToList() : call.AgentTurns.ToList());
        }

        private Eval PoorLine(RubricItem item, PoorLineRule rule)
        {
            if (SilentCallApplies) return new Eval(Results.Na, Sure, "silent call", []);
            var signals = AgentHits(item.Slot("signal"));
            if (signals.Count == 0) return new Eval(Results.Na, Sure, "the agent never says it cannot hear", []);
            var rude = new List<int>();
            foreach (var s in signals)
                if (call.FindIn(item.Slot("rude"), s.Utterance) is not null || call.FindIn(item.Slot("polite"), s.Utterance) is null) rude.Add(s.Utterance);
            if (rude.Count > 0) return new Eval(Results.Fail, Conf(signals), "the can't-hear request is an order, not a polite request", rude);
            // The agent ends the call for the poor line when the customer says nothing after the can't-hear signal.
            var endTurns = call.AgentTurns.TakeLast(rule.EndTurns).ToList();
            var lastSignalEnd = call.Utterances[signals[^1].Utterance].End;
            var endsForIt = !call.CustomerTurns.Any(u => call.Utterances[u].Start >= lastSignalEnd - 0.01);
            if (endsForIt && !endTurns.Any(u => call.FindIn(item.Slot("callback"), u) is not null))
                return new Eval(Results.Fail, Conf(signals), "ends the call for the poor line without suggesting a call back", endTurns);
            return new Eval(Results.Pass, Conf(signals), null, signals.Select(s => s.Utterance).ToList());
        }

        private Eval Harassment(RubricItem item, HarassmentRule rule)
        {
            var abuse = AbuseTurns(item);
            if (abuse.Count < rule.MinTurns) return new Eval(Results.Na, Sure, abuse.Count == 0 ? "no abusive caller" : "a single outburst is not a harassment call", []);
            var firstAbuse = abuse[0];
            var swear = AgentHits(item.Slot("swear"));
            if (swear.Count > 0)
                return new Eval(Results.Fail, Conf(swear), "the agent swears back", [.. abuse.Take(1), .. swear.Select(h => h.Utterance)],
                    rule.SwearSeverity);
            var warning = AgentHits(item.Slot("warning")).FirstOrDefault(h => h.Utterance > firstAbuse);
            if (warning.Confidence > 0) return new Eval(Results.Pass, Conf(warning), null, [warning.Utterance]);
            return new Eval(Results.Fail, Absent, "the call ends with no warning to the abusive caller", [.. abuse.Take(2), .. call.AgentTurns.TakeLast(1)]);
        }

        // ---- section E -------------------------------------------------------------------------------

        /// <summary>How sure the ending model's fire is: its probability, lifted to the confidence threshold from
        /// <see cref="NegativeEndRule.ModelEndingSureAbove"/> on (the rubric's decision that such an ending flags).</summary>
        private double EndingConfidence(double p, NegativeEndRule rule) =>
            p >= rule.ModelEndingSureAbove ? Math.Max(p, S.ConfidenceThreshold) : p;

        /// <summary>A <c>calm</c> phrase (thanks, an apology, 我不骂了) in a customer turn after the caller's last abusive turn.</summary>
        private bool CalmedDown(RubricItem item)
        {
            if (!item.Match.ContainsKey("calm") || rubric.Items.FirstOrDefault(i => i.Rule is HarassmentRule) is not { } h) return false;
            var abuse = AbuseTurns(h);
            var last = abuse.Count == 0 ? -1 : abuse[^1];
            return call.CustomerTurns.Any(u => u > last && call.FindIn(item.Slot("calm"), u) is not null);
        }

        private Eval NegativeEnd(RubricItem item, NegativeEndRule rule)
        {
            // The customer's last turns that say something: a bare 没了 / 好 / 嗯 (at most skipShortChars characters,
            // not negative itself) answers "anything else?" and says nothing about how the customer leaves.
            var want = rule.LastTurns;
            var shortChars = rule.SkipShortChars;
            var negative = item.Slot("negative");
            for (int i = call.CustomerTurns.Length - 1, looked = 0; i >= 0 && looked < want; i--)
            {
                var u = call.CustomerTurns[i];
                if (call.FindIn(negative, u) is { } h)
                    return new Eval(Results.Fire, Conf(h), "the customer's last words are still negative", [u]);
                if (call.Folded[u].Chars.Length <= shortChars) continue;
                looked++;
                // The customer model hears what no phrase list holds ("so I just keep waiting, then").
                if (Customer(u) is { } r && r.Sentiment <= rule.ModelSentimentBelow)
                    return new Eval(Results.Fire, Negativity(r) * call.RoleFactor, "the customer model reads the customer's last words as unhappy", [u],
                        Probabilities: new Dictionary<int, double> { [u] = Negativity(r) });
            }
            // How the customer leaves, as the ending model reads the last words with their context: resigned ("行吧,反正我也
            // 只能等着"), sarcastic ("你们这服务真行") or taking it further in words no list holds (rubric 2026.10).
            // Not on a poor line (rubric 2026.21): there the last words are fragments of the connection ("喂?喂?听不清"),
            // not how the customer leaves — none of the 72 labelled poor-line calls is labelled NEGATIVE_END. Phrases still count.
            if (rule.ModelEndingAbove < 1 && !PoorLineApplies && reading?.Ending is { } end && end.Negative >= rule.ModelEndingAbove)
                return new Eval(Results.Fire, EndingConfidence(end.Negative, rule) * call.RoleFactor, "the customer model reads how the customer leaves as unhappy", [end.Utterance],
                    Probabilities: new Dictionary<int, double> { [end.Utterance] = end.Negative });
            // An abusive or harassing caller (the harassment protocol applies) leaves as they called — 你挂试试 / 切,装什么
            // 正经 after the warnings — unless the caller calmed down: a `calm` phrase (thanks, an apology, 我不骂了) in a
            // customer turn after the last abusive one (rubric 2026.35; until then only in the last words, which missed
            // 行,我不骂了 … 好,没别的了). The customer model is no judge here: after the agent's closing words it reads
            // "你挂试试!" as satisfied (0.63).
            if (rule.HarassmentEnds && HarassmentApplies && !CalmedDown(item))
                for (var i = call.CustomerTurns.Length - 1; i >= 0; i--)
                {
                    var u = call.CustomerTurns[i];
                    if (call.Folded[u].Chars.Length <= shortChars) continue;
                    return new Eval(Results.Fire, Absent, "the abusive caller's last words after the protocol", [u]);
                }
            return new Eval(Results.Na, Sure, null, []);
        }
    }
}
