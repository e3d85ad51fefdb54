using HotlineQA.Common;
using HotlineQA.Transcription;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HotlineQA.Classification;

/// <summary>One labelled call as the call-complaint model learns it: the customer's words of the whole call
/// (<see cref="CallComplaintModel.Words"/>) and whether the call's labels make it a complaint call.</summary>
/// <param name="Source">The folder it comes from, for the training report and the folder-grouped cross-validation.</param>
public sealed record LabelledComplaintCall(string Words, bool Complaint, string Source);

/// <summary>
/// Is this a complaint call, read from everything the customer says (issue 13; docs/customer-model.md, "The
/// call-complaint model"). The customer-state model reads one turn at a time, so a complaint told calmly as a story —
/// a course card over-deducted, a child's medicine five hours late plus a night fee, an auction premium the customer
/// did not expect — reaches none of the per-turn thresholds: every turn alone could be an enquiry's. This model reads
/// the customer's turns of the call together (character 1–3-grams, the customer-state model's text shape, without a
/// context vector) and is trained on the isComplaint labels of the project's labelled calls, written by writers who never
/// saw the scorer. Same text-model shape as the other customer models, so it runs compiled.
/// </summary>
public sealed class CallComplaintModel
{
    internal const string EmbeddedModel = "HotlineQA.Classification.Model.call-complaint.zip";
    public const string Complaint = "complaint", Other = "other";

    /// <summary>Between two customer turns in <see cref="Words"/> (the turns stay apart: no n-gram spans two of them
    /// except through the marker).</summary>
    public const string TurnSeparator = " | ";

    private static readonly Lazy<CallComplaintModel> Default = new(() =>
        ModelZip.LoadEmbedded(EmbeddedModel, "call-complaint model", "customer-model train-complaint", (ml, m) => new CallComplaintModel(ml, m)));

    private static readonly float[] NoContext = [0f];
    private readonly MLContext _ml;
    private readonly TextModelRunner<CallComplaintInput> _runner;
    private readonly int _complaint;

    internal CallComplaintModel(MLContext ml, ITransformer model, bool compile = true)
    {
        _ml = ml;
        _runner = new TextModelRunner<CallComplaintInput>(ml, model, 0, compile);
        _complaint = Array.IndexOf(_runner.ScoreSlots, Complaint);
        if (_runner.ScoreSlots.Length != 2 || _complaint < 0)
            throw new InvalidDataException($"the model's classes ({string.Join(", ", _runner.ScoreSlots)}) are not the call-complaint labels ({Complaint}, {Other})");
    }

    /// <summary>The shipped model (embedded in HotlineQA.Core), loaded once per process.</summary>
    public static CallComplaintModel LoadDefault() => Default.Value;

    /// <summary>A model zip written by <c>hotlineqa customer-model train-complaint --out</c>.</summary>
    public static CallComplaintModel Load(string path) =>
        ModelZip.LoadFile(path, "call-complaint model", "customer-model train-complaint", "Classification:ComplaintModelPath", (ml, m) => new CallComplaintModel(ml, m));

    /// <summary>True when predictions run on the compiled form of the model.</summary>
    internal bool Compiled => _runner.Compiled;

    /// <summary>The same model through ML.NET's prediction engine only (the reference the compiled form is checked against).</summary>
    internal CallComplaintModel WithoutCompilation() => new(_ml, _runner.Model, compile: false);

    /// <summary>What the model reads of a call: the customer's turns, each normalized as the customer models read a turn
    /// (a digit run is one number), the empty ones left out, joined by <see cref="TurnSeparator"/>; "" when the customer
    /// says nothing.</summary>
    public static string Words(IReadOnlyList<Utterance> utterances)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        return string.Join(TurnSeparator, utterances.Where(u => u.Speaker == Speakers.Customer)
            .Select(u => TextNormalizer.NormalizeCustomer(u.Text)).Where(t => t.Length > 0));
    }

    /// <summary>P(the call is a complaint call) from the customer's words (<see cref="Words"/>); null when the customer
    /// says nothing.</summary>
    public double? Probability(IReadOnlyList<Utterance> utterances)
    {
        var words = Words(utterances);
        if (words.Length == 0) return null;
        Span<float> scores = stackalloc float[2];
        _runner.Score(words, NoContext, scores);
        return scores[_complaint];
    }

    /// <summary>Trains reproducibly (fixed seed, one thread, rows in the order given): same rows → same file, byte for byte.</summary>
    public static CallComplaintModel Train(IEnumerable<LabelledComplaintCall> examples)
    {
        var rows = examples.Where(e => e.Words.Length > 0)
            .Select(e => new CallComplaintInput { Label = e.Complaint ? Complaint : Other, Text = e.Words }).ToList();
        if (rows.Select(r => r.Label).Distinct().Count() < 2) throw new BadInputException("the call-complaint model needs both complaint and other calls to learn from");
        var ml = new MLContext(seed: ClassifierTraining.Seed);
        var model = CustomerModelTraining.TextPipeline(ml, nameof(CallComplaintInput.Weight), context: false).Fit(ml.Data.LoadFromEnumerable(rows));
        return new CallComplaintModel(ml, model);
    }

    /// <summary>Writes the model zip (what <c>customer-model train-complaint --out</c> produces).</summary>
    public void Save(string path) => ModelZip.Save<CallComplaintInput>(_ml, _runner.Model, path);
}

/// <summary>The row the call-complaint model sees: the customer's words of the call, (training) label and weight. No
/// context vector: the model reads the words only (<see cref="ITextRow.Context"/> is one unused 0).</summary>
internal sealed class CallComplaintInput : ITextRow
{
    public string Label { get; set; } = "";
    public string Text { get; set; } = "";
    public float Weight { get; set; } = 1f;

    [VectorType(1)]
    public float[] Context { get; set; } = [0f];
}
