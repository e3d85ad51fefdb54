using HotlineQA.Common;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HotlineQA.Classification;

/// <summary>
/// The ML.NET utterance classifier. Thread-safe: predictions run through <see cref="TextModelRunner{TRow}"/> (the
/// compiled model, or pooled ML.NET prediction engines).
/// </summary>
public sealed class MlNetUtteranceClassifier : IUtteranceClassifier
{
    internal const string EmbeddedModel = "HotlineQA.Classification.Model.utterance-classifier.zip";

    private readonly MLContext _ml;
    private readonly TextModelRunner<ModelInput> _runner;
    private readonly string[] _labels;

    internal MlNetUtteranceClassifier(MLContext ml, ITransformer model, bool compile = true)
    {
        _ml = ml;
        _runner = new TextModelRunner<ModelInput>(ml, model, ContextFeatures.Count, compile);
        _labels = CheckLabels(_runner.ScoreSlots);
    }

    /// <summary>True when predictions run on the compiled form of the model (<see cref="CompiledTextModel"/>), false when
    /// through ML.NET's prediction engine (a model of another shape, or compilation switched off).</summary>
    internal bool Compiled => _runner.Compiled;

    /// <summary>The same model run through ML.NET's prediction engine only (the reference the compiled form is checked against).</summary>
    internal MlNetUtteranceClassifier WithoutCompilation() => new(_ml, _runner.Model, compile: false);

    /// <summary>Loads a model zip from <paramref name="path"/>, or the built-in model when it is null or empty.</summary>
    public static MlNetUtteranceClassifier Load(string? path) => string.IsNullOrWhiteSpace(path)
        ? ModelZip.LoadEmbedded(EmbeddedModel, "classifier model", "classifier train", (ml, m) => new MlNetUtteranceClassifier(ml, m))
        : ModelZip.LoadFile(path, "classifier model", "classifier train", "Classification:ModelPath", (ml, m) => new MlNetUtteranceClassifier(ml, m));

    public IReadOnlyList<string> Labels => _labels;

    public UtteranceClassification Classify(UtteranceContext utterance)
    {
        ArgumentNullException.ThrowIfNull(utterance);
        var text = TextNormalizer.Normalize(utterance.Text);
        if (text.Length == 0)
            return new UtteranceClassification(utterance.Text, UtteranceLabels.Neutral, 1.0,
                UtteranceLabels.All.ToDictionary(l => l, l => l == UtteranceLabels.Neutral ? 1.0 : 0.0));

        var context = ContextFeatures.Compute(text, TextNormalizer.Normalize(utterance.PreviousCustomerText), TextNormalizer.Normalize(utterance.NextAgentText));
        Span<float> p = stackalloc float[_labels.Length];
        _runner.Score(text, context, p);
        return Result(utterance.Text, p);
    }

    private UtteranceClassification Result(string text, ReadOnlySpan<float> scores)
    {
        var best = 0;
        var values = new double[_labels.Length];
        for (var i = 0; i < _labels.Length; i++)
        {
            values[i] = scores[i];
            if (scores[i] > scores[best]) best = i;
        }
        return new UtteranceClassification(text, _labels[best], scores[best], new LabelProbabilities(_labels, values));
    }

    /// <summary>Writes the model zip (what <c>classifier train --out</c> produces).</summary>
    public void Save(string path)
    {
        var schema = SchemaDefinition.Create(typeof(ModelInput));
        var view = _ml.Data.LoadFromEnumerable(Array.Empty<ModelInput>(), schema);
        DeterministicZip.Save(path, s => _ml.Model.Save(_runner.Model, view.Schema, s));
    }

    private static string[] CheckLabels(string[] labels)
    {
        var unknown = labels.Where(l => !UtteranceLabels.All.Contains(l)).ToList();
        if (labels.Length == 0 || unknown.Count > 0)
            throw new InvalidDataException($"the model's classes ({string.Join(", ", labels)}) are not the classifier labels");
        return labels;
    }
}

/// <summary>The row ML.NET sees: normalized text, the context-feature vector and (when training) the label.</summary>
internal sealed class ModelInput : ITextRow
{
    public string Label { get; set; } = "";
    public string Text { get; set; } = "";

    /// <summary>Training weight: real and hand-written examples count more than generated ones (see docs/classifier.md).</summary>
    public float Weight { get; set; } = 1f;

    [VectorType(ContextFeatures.Count)]
    public float[] Context { get; set; } = [];

    public static ModelInput From(string normalizedText, string normalizedPrevious, string normalizedNext, string label = "", float weight = 1f) =>
        new() { Label = label, Text = normalizedText, Weight = weight, Context = ContextFeatures.Compute(normalizedText, normalizedPrevious, normalizedNext) };
}
