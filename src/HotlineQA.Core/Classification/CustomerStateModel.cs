using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Transcription;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HotlineQA.Classification;

/// <summary>The five customer states of the customer-state model (docs/customer-model.md).</summary>
public static class CustomerLabels
{
    /// <summary>A grievance: the customer reports a problem with the service and what it costs them (a complaint call).</summary>
    public const string Complaint = "complaint";
    /// <summary>Unhappiness with the answer or the handling, without a new grievance ("那你说了等于没说").</summary>
    public const string Dissatisfaction = "dissatisfaction";
    public const string Abuse = "abuse";
    public const string Satisfied = "satisfied";
    public const string Neutral = "neutral";
    public static readonly IReadOnlyList<string> All = [Complaint, Dissatisfaction, Abuse, Satisfied, Neutral];
}

/// <summary>
/// One customer turn's state: class probabilities (0–1, summing to 1) and <see cref="Sentiment"/> in [−1, 1]
/// (= P(satisfied) − P(complaint) − P(dissatisfaction) − P(abuse); neutral counts 0).
/// </summary>
public sealed record CustomerTurnState(int Utterance, double Complaint, double Dissatisfaction, double Abuse,
    double Satisfied, double Neutral, double Sentiment)
{
    /// <summary>P(complaint) + P(dissatisfaction) + P(abuse): how unhappy the turn is, whatever the kind.</summary>
    public double Negative => Complaint + Dissatisfaction + Abuse;

    /// <summary>The most probable of <see cref="CustomerLabels.All"/>.</summary>
    public string Label
    {
        get
        {
            var best = (CustomerLabels.Neutral, Neutral);
            if (Complaint > best.Item2) best = (CustomerLabels.Complaint, Complaint);
            if (Dissatisfaction > best.Item2) best = (CustomerLabels.Dissatisfaction, Dissatisfaction);
            if (Abuse > best.Item2) best = (CustomerLabels.Abuse, Abuse);
            if (Satisfied > best.Item2) best = (CustomerLabels.Satisfied, Satisfied);
            return best.Item1;
        }
    }
}

/// <summary>Where a customer turn sits in its call, and the agent turn it answers: the model's context.</summary>
public sealed record CustomerTurnContext(string Text, string? PreviousAgentText, int CustomerTurn, int CustomerTurns)
{
    /// <summary>A turn without a call around it (a review, a single sentence): no position features.</summary>
    public static CustomerTurnContext Alone(string text) => new(text, null, 0, 0);
}

/// <summary>
/// The ML.NET customer-state model: character 1–3-grams of the customer turn + a small context vector (position in the
/// call, what the agent said just before) → complaint / dissatisfaction / abuse / satisfied / neutral. Trained by
/// <c>hotlineqa customer-model train</c> (docs/customer-model.md). Thread-safe: predictions run through <see cref="TextModelRunner{TRow}"/>.
/// </summary>
public sealed class CustomerStateModel
{
    internal const string EmbeddedModel = "HotlineQA.Classification.Model.customer-state.zip";

    /// <summary>Trend thresholds: end − start at least this much better (worse) is <c>better</c> (<c>worse</c>).</summary>
    public const double TrendDelta = 0.25;

    private static readonly Lazy<CustomerStateModel> Default = new(() =>
        ModelZip.LoadEmbedded(EmbeddedModel, "customer-state model", "customer-model train", (ml, m) => new CustomerStateModel(ml, m)));

    private readonly MLContext _ml;
    private readonly TextModelRunner<CustomerModelInput> _runner;
    private readonly int[] _slot; // _slot[i] = index in the model's score vector of CustomerLabels.All[i]

    internal CustomerStateModel(MLContext ml, ITransformer model, bool compile = true)
    {
        _ml = ml;
        _runner = new TextModelRunner<CustomerModelInput>(ml, model, CustomerFeatures.Count, compile);
        var labels = _runner.ScoreSlots;
        _slot = CustomerLabels.All.Select(l => Array.IndexOf(labels, l)).ToArray();
        if (labels.Length != CustomerLabels.All.Count || _slot.Any(i => i < 0))
            throw new InvalidDataException($"the model's classes ({string.Join(", ", labels)}) are not the customer-state labels");
    }

    /// <summary>True when predictions run on the compiled form of the model (<see cref="CompiledTextModel"/>), false when
    /// through ML.NET's prediction engine (a model of another shape, or compilation switched off).</summary>
    internal bool Compiled => _runner.Compiled;

    /// <summary>The same model run through ML.NET's prediction engine only (the reference the compiled form is checked against).</summary>
    internal CustomerStateModel WithoutCompilation() => new(_ml, _runner.Model, compile: false);

    /// <summary>The shipped model (embedded in HotlineQA.Core), loaded once per process.</summary>
    public static CustomerStateModel LoadDefault() => Default.Value;

    /// <summary>A model zip written by <c>hotlineqa customer-model train --out</c> (Classification:CustomerModelPath).</summary>
    public static CustomerStateModel Load(string path) => string.IsNullOrWhiteSpace(path)
        ? LoadDefault()
        : ModelZip.LoadFile(path, "customer-state model", "customer-model train", "Classification:CustomerModelPath", (ml, m) => new CustomerStateModel(ml, m));

    /// <summary>
    /// One state per customer turn (speaker <c>customer</c>), in transcript order; <c>Utterance</c> = index in
    /// <paramref name="utterances"/>. Each turn is read with the agent turn before it and its position in the call.
    /// </summary>
    public IReadOnlyList<CustomerTurnState> Predict(IReadOnlyList<Utterance> utterances)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        var total = 0;
        foreach (var u in utterances) if (u.Speaker == Speakers.Customer) total++;
        var result = new List<CustomerTurnState>(total);
        if (total == 0) return result;
        // Each agent turn normalized once, not once per customer turn after it.
        string? lastAgent = null;
        var lastAgentNormalized = "";
        var k = 0;
        for (var i = 0; i < utterances.Count; i++)
        {
            var u = utterances[i];
            if (u.Speaker == Speakers.Agent) { lastAgent = u.Text; lastAgentNormalized = TextNormalizer.Normalize(u.Text); continue; }
            if (u.Speaker != Speakers.Customer) continue;
            result.Add(Classify(new CustomerTurnContext(u.Text, lastAgent, k++, total), lastAgentNormalized, i));
        }
        return result;
    }

    /// <summary>The state of one customer turn in its context; <paramref name="utterance"/> is copied into the result.</summary>
    public CustomerTurnState Classify(CustomerTurnContext turn, int utterance = 0)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return Classify(turn, TextNormalizer.Normalize(turn.PreviousAgentText), utterance);
    }

    private CustomerTurnState Classify(CustomerTurnContext turn, string previousAgentNormalized, int utterance)
    {
        var text = TextNormalizer.NormalizeCustomer(turn.Text);
        if (text.Length == 0) return new CustomerTurnState(utterance, 0, 0, 0, 0, 1, 0);
        Span<float> s = stackalloc float[CustomerLabels.All.Count];
        _runner.Score(text, CustomerFeatures.Compute(text, previousAgentNormalized, turn), s);
        double c = s[_slot[0]], d = s[_slot[1]], a = s[_slot[2]], p = s[_slot[3]], n = s[_slot[4]];
        return new CustomerTurnState(utterance, c, d, a, p, n, Math.Clamp(p - c - d - a, -1, 1));
    }

    /// <summary>
    /// The call's customer sentiment (CONTRACTS §2 <c>customerSentiment</c>): <c>Start</c>/<c>End</c> = the first/last
    /// customer turn that says something (not a bare "嗯"/"喂"; else the first/last turn), <c>Overall</c> = the mean of
    /// the turns that say something with the end counted as much as all the others together (how a call ends weighs
    /// most with the customer), <c>Trend</c> = end − start beyond ±<see cref="TrendDelta"/>. No customer turns → all 0.
    /// </summary>
    public CustomerSentiment Summarize(IReadOnlyList<Utterance> utterances, IReadOnlyList<CustomerTurnState> states)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(states);
        var turns = new List<TurnSentiment>(states.Count);
        var speaking = new List<CustomerTurnState>(states.Count);
        foreach (var s in states)
        {
            if (s.Utterance < 0 || s.Utterance >= utterances.Count)
                throw new ArgumentException($"state for utterance {s.Utterance} is outside the transcript ({utterances.Count} utterances)", nameof(states));
            var u = utterances[s.Utterance];
            turns.Add(new TurnSentiment { Utterance = s.Utterance, Start = u.Start, End = u.End, Score = Round(s.Sentiment) });
            if (SaysSomething(u.Text)) speaking.Add(s);
        }
        if (speaking.Count == 0) speaking.AddRange(states);
        if (speaking.Count == 0) return new CustomerSentiment { Turns = turns };
        var start = speaking[0].Sentiment;
        var end = speaking[^1].Sentiment;
        var overall = speaking.Count == 1 ? end : (speaking.Take(speaking.Count - 1).Average(s => s.Sentiment) + end) / 2;
        var delta = end - start;
        var trend = speaking.Count < 2 ? CustomerSentiment.Trends.Same
            : delta >= TrendDelta ? CustomerSentiment.Trends.Better
            : delta <= -TrendDelta ? CustomerSentiment.Trends.Worse
            : CustomerSentiment.Trends.Same;
        return new CustomerSentiment { Overall = Round(overall), Start = Round(start), End = Round(end), Trend = trend, Turns = turns };
    }

    /// <summary>Predict + Summarize in one call.</summary>
    public CustomerSentiment Sentiment(IReadOnlyList<Utterance> utterances) => Summarize(utterances, Predict(utterances));

    /// <summary>Writes the model zip (what <c>customer-model train --out</c> produces).</summary>
    public void Save(string path)
    {
        var schema = SchemaDefinition.Create(typeof(CustomerModelInput));
        var view = _ml.Data.LoadFromEnumerable(Array.Empty<CustomerModelInput>(), schema);
        DeterministicZip.Save(path, s => _ml.Model.Save(_runner.Model, view.Schema, s));
    }

    private static readonly HashSet<string> Backchannel = new(StringComparer.Ordinal)
    {
        "嗯", "嗯嗯", "啊", "哦", "喂", "喂你好", "你好", "好", "好的", "对", "对对", "是", "是的", "行", "恩", "哦哦", "额", "呃",
    };

    /// <summary>False for an empty turn or a bare acknowledgement ("嗯", "喂", "好的").</summary>
    public static bool SaysSomething(string? text)
    {
        var t = TextNormalizer.Normalize(text);
        return t.Length > 0 && !Backchannel.Contains(t);
    }

    private static double Round(double v) => Math.Round(v, 3);
}

/// <summary>The row the customer-state model sees: normalized text, the context vector, and (training) label and weight.</summary>
internal sealed class CustomerModelInput : ITextRow
{
    public string Label { get; set; } = "";
    public string Text { get; set; } = "";
    public float Weight { get; set; } = 1f;

    [VectorType(CustomerFeatures.Count)]
    public float[] Context { get; set; } = [];

    public static CustomerModelInput From(string normalizedText, CustomerTurnContext turn, string label = "", float weight = 1f) =>
        new() { Label = label, Text = normalizedText, Weight = weight, Context = CustomerFeatures.Compute(normalizedText, turn) };
}

/// <summary>What prediction reads from a model: the class scores only (in the order of the model's slot names).</summary>
internal sealed class ScoreOutput
{
    public float[] Score { get; set; } = [];
}
