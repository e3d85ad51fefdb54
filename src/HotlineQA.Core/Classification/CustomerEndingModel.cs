using HotlineQA.Common;
using HotlineQA.Transcription;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HotlineQA.Classification;

/// <summary>One call's ending as the ending model learns it: the customer's last words, their context, the label.</summary>
/// <param name="Negative">The customer leaves unhappy (the labelled call's NEGATIVE_END, or an STC-3 dialogue rated
/// clearly unsatisfying).</param>
/// <param name="Source">Where it comes from (labelled calls, STC-3), for the training report.</param>
public sealed record LabelledEnding(string Text, float[] Context, bool Negative, float Weight, string Source);

/// <summary>
/// How the customer leaves the call (issue 13; docs/customer-model.md, "The ending model"): the probability that the
/// customer's last words are still unhappy — resigned ("行吧,反正我也只能等着"), sarcastic ("你们这服务真行"), or a
/// threat to take it further — read from those words and from the customer-state model's reading of them and of the
/// customer turn before. The customer-state model reads one turn on its own and hears a resigned or sarcastic closing as
/// neutral; this model is trained on how calls end: the NEGATIVE_END labels of the project's labelled calls and the last
/// customer turns of STC-3 dialogues rated clearly (un)satisfying. Same text-model shape as the customer-state model
/// (<see cref="CustomerModelTraining.TextPipeline"/>), so it runs compiled.
/// </summary>
public sealed class CustomerEndingModel
{
    internal const string EmbeddedModel = "HotlineQA.Classification.Model.customer-ending.zip";
    public const string Negative = "negative", Other = "other";

    /// <summary>Context: sentiment and negativity (complaint + dissatisfaction + abuse) of the last customer turn that
    /// says something, then of the one before it (0 when there is none).</summary>
    public const int ContextCount = 4;

    /// <summary>A customer turn shorter than this (normalized) says nothing about how the customer leaves: 没了, 好的, 嗯.</summary>
    public const int MinChars = 4;

    /// <summary>Weight of an STC-3 dialogue's ending against a labelled call's (the register is further from a call).</summary>
    public const float Stc3Weight = 0.3f;

    /// <summary>STC-3 satisfaction (−2…2) at or below which a dialogue's ending is negative, at or above which it is not.</summary>
    public const double Stc3Unhappy = -0.75, Stc3Happy = 0.5;

    private static readonly Lazy<CustomerEndingModel> Default = new(() =>
        ModelZip.LoadEmbedded(EmbeddedModel, "customer ending model", "customer-model train-ending", (ml, m) => new CustomerEndingModel(ml, m)));

    private readonly MLContext _ml;
    private readonly TextModelRunner<EndingInput> _runner;
    private readonly int _negative;

    internal CustomerEndingModel(MLContext ml, ITransformer model, bool compile = true)
    {
        _ml = ml;
        _runner = new TextModelRunner<EndingInput>(ml, model, ContextCount, compile);
        _negative = Array.IndexOf(_runner.ScoreSlots, Negative);
        if (_runner.ScoreSlots.Length != 2 || _negative < 0)
            throw new InvalidDataException($"the model's classes ({string.Join(", ", _runner.ScoreSlots)}) are not the ending labels ({Negative}, {Other})");
    }

    /// <summary>The shipped model (embedded in HotlineQA.Core), loaded once per process.</summary>
    public static CustomerEndingModel LoadDefault() => Default.Value;

    /// <summary>A model zip written by <c>hotlineqa customer-model train-ending --out</c>.</summary>
    public static CustomerEndingModel Load(string path) =>
        ModelZip.LoadFile(path, "customer ending model", "customer-model train-ending", "Classification:EndingModelPath", (ml, m) => new CustomerEndingModel(ml, m));

    /// <summary>True when predictions run on the compiled form of the model.</summary>
    internal bool Compiled => _runner.Compiled;

    /// <summary>The same model through ML.NET's prediction engine only (the reference the compiled form is checked against).</summary>
    internal CustomerEndingModel WithoutCompilation() => new(_ml, _runner.Model, compile: false);

    /// <summary>The customer turns the model reads: the last one that says something (<see cref="MinChars"/>) and the one
    /// before it, as indexes of <paramref name="utterances"/>; null when the customer says nothing.</summary>
    public static (int Last, int? Before)? EndingTurns(IReadOnlyList<Utterance> utterances)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        int? last = null;
        for (var i = utterances.Count - 1; i >= 0; i--)
        {
            if (utterances[i].Speaker != Speakers.Customer || TextNormalizer.Normalize(utterances[i].Text).Length < MinChars) continue;
            if (last is null) last = i;
            else return (last.Value, i);
        }
        return last is { } l ? (l, null) : null;
    }

    /// <summary>The context vector from the customer-state model's reading of the last turn and the one before.</summary>
    public static float[] Context(CustomerTurnState? last, CustomerTurnState? before) =>
    [
        (float)(last?.Sentiment ?? 0), (float)(last?.Negative ?? 0),
        (float)(before?.Sentiment ?? 0), (float)(before?.Negative ?? 0),
    ];

    /// <summary>P(the customer leaves unhappy) from the last words (raw text) and their context (<see cref="Context"/>).</summary>
    public double Probability(string lastWords, float[] context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Length != ContextCount) throw new ArgumentException($"the context has {ContextCount} values", nameof(context));
        Span<float> scores = stackalloc float[2];
        _runner.Score(TextNormalizer.NormalizeCustomer(lastWords), context, scores);
        return scores[_negative];
    }

    /// <summary>How the call ends, read from the customer-state model's <paramref name="states"/> of
    /// <paramref name="utterances"/>: the last turn that says something and P(unhappy); null when the customer says nothing.</summary>
    public (int Utterance, double Negative)? Read(IReadOnlyList<Utterance> utterances, IReadOnlyList<CustomerTurnState> states) =>
        Inputs(utterances, states) is { } i ? (i.Last, Probability(i.Words, i.Context)) : null;

    /// <summary>The labelled ending of one call or dialogue, read as <see cref="Read"/> reads it; null when the customer
    /// says nothing.</summary>
    public static LabelledEnding? Example(IReadOnlyList<Utterance> utterances, IReadOnlyList<CustomerTurnState> states, bool negative, float weight, string source) =>
        Inputs(utterances, states) is { } i ? new LabelledEnding(i.Words, i.Context, negative, weight, source) : null;

    /// <summary>What the model reads of a call — the same for training and prediction.</summary>
    private static (int Last, string Words, float[] Context)? Inputs(IReadOnlyList<Utterance> utterances, IReadOnlyList<CustomerTurnState> states)
    {
        if (EndingTurns(utterances) is not { } t) return null;
        CustomerTurnState? Of(int? u) => u is { } x ? states.FirstOrDefault(s => s.Utterance == x) : null;
        return (t.Last, utterances[t.Last].Text, Context(Of(t.Last), Of(t.Before)));
    }

    /// <summary>The clear ends of STC-3's satisfaction scale as endings (<see cref="Stc3Unhappy"/>, <see cref="Stc3Happy"/>),
    /// each read by <paramref name="customer"/> as a transcript (customer = the Weibo user).</summary>
    public static IEnumerable<LabelledEnding> Stc3Examples(IEnumerable<Stc3Dialogue> dialogues, CustomerStateModel customer)
    {
        foreach (var d in dialogues)
        {
            if (d.Satisfaction > Stc3Unhappy && d.Satisfaction < Stc3Happy) continue;
            var utterances = CustomerModelEvaluation.ToTranscript(d).Utterances;
            if (Example(utterances, customer.Predict(utterances), d.Satisfaction <= Stc3Unhappy, Stc3Weight, "stc3") is { } e) yield return e;
        }
    }

    /// <summary>Trains reproducibly (fixed seed, one thread, rows in the order given): same rows → same file, byte for byte.</summary>
    public static CustomerEndingModel Train(IEnumerable<LabelledEnding> examples)
    {
        var rows = examples.Select(e => new EndingInput
        {
            Label = e.Negative ? Negative : Other, Text = TextNormalizer.NormalizeCustomer(e.Text), Context = e.Context, Weight = e.Weight,
        }).Where(r => r.Text.Length > 0).ToList();
        if (rows.Select(r => r.Label).Distinct().Count() < 2) throw new BadInputException("the ending model needs both unhappy and other endings to learn from");
        var ml = new MLContext(seed: ClassifierTraining.Seed);
        var model = CustomerModelTraining.TextPipeline(ml, nameof(EndingInput.Weight)).Fit(ml.Data.LoadFromEnumerable(rows));
        return new CustomerEndingModel(ml, model);
    }

    /// <summary>Writes the model zip (what <c>customer-model train-ending --out</c> produces).</summary>
    public void Save(string path) => ModelZip.Save<EndingInput>(_ml, _runner.Model, path);
}

/// <summary>The row the ending model sees: the normalized last words, the context vector, (training) label and weight.</summary>
internal sealed class EndingInput : ITextRow
{
    public string Label { get; set; } = "";
    public string Text { get; set; } = "";
    public float Weight { get; set; } = 1f;

    [VectorType(CustomerEndingModel.ContextCount)]
    public float[] Context { get; set; } = [];
}
