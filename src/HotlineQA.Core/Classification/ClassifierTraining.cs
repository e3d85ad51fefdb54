using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace HotlineQA.Classification;

public enum ClassifierTrainerKind { SdcaMaximumEntropy, LbfgsMaximumEntropy }

/// <summary>The data a training run uses: train, the fixed validation split, the held-out real turns, held-out feedback.</summary>
public sealed record ClassifierDataset(
    IReadOnlyList<LabelledUtterance> Train,
    IReadOnlyList<LabelledUtterance> Validation,
    IReadOnlyList<LabelledUtterance> RealTurns,
    IReadOnlyList<LabelledUtterance> FeedbackValidation);

/// <summary>
/// The ML.NET pipeline: character 1–3-grams of the normalized text (Chinese has no spaces, so characters are the
/// natural unit) + the context-feature vector → a multiclass maximum-entropy trainer. Deterministic: fixed seed,
/// single-threaded trainers, data in a fixed order.
/// </summary>
public static class ClassifierTraining
{
    public const int Seed = 20261123;

    /// <summary>Assembles generated + hand-written + real (training half) + feedback (training part) examples.</summary>
    public static ClassifierDataset BuildDataset(string? stc3Path, IReadOnlyList<LabelledUtterance>? feedback = null)
    {
        var authored = Dedupe(TrainingData.Handwritten().Concat(TrainingSetGenerator.Generate()));
        var real = stc3Path is null ? [] : Stc3RealTurns.Load(stc3Path);
        // Held out by dialogue; a training-half turn whose text equals a held-out one (Weibo boilerplate repeats
        // across dialogues) is dropped, so no held-out text is ever trained on.
        var realHoldout = Dedupe(real.Where(r => TrainingData.IsRealHoldoutDialogue(TrainingData.DialogueOf(r)!)));
        var heldTexts = realHoldout.Select(r => TextNormalizer.Normalize(r.Text)).ToHashSet(StringComparer.Ordinal);
        var realTrain = real.Where(r => !TrainingData.IsRealHoldoutDialogue(TrainingData.DialogueOf(r)!) && !heldTexts.Contains(TextNormalizer.Normalize(r.Text))).ToList();
        var fb = feedback ?? [];
        var train = Dedupe(authored.Where(u => !TrainingData.IsValidation(u.Text))
            .Concat(realTrain)
            .Concat(fb.Where(u => !TrainingData.IsValidation(u.Text))));
        var validation = authored.Where(u => TrainingData.IsValidation(u.Text)).ToList();
        var fbValidation = fb.Where(u => TrainingData.IsValidation(u.Text)).ToList();
        return new ClassifierDataset(train, validation, realHoldout, fbValidation);
    }

    public static MlNetUtteranceClassifier Train(IEnumerable<LabelledUtterance> examples, ClassifierTrainerKind kind)
    {
        var ml = new MLContext(seed: Seed);
        var rows = examples.Select(e => ModelInput.From(
            TextNormalizer.Normalize(e.Text), TextNormalizer.Normalize(e.PreviousCustomerText), TextNormalizer.Normalize(e.NextAgentText), e.Label, WeightOf(e))).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);

        var text = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.None,
            KeepDiacritics = true,
            KeepPunctuations = true,
            KeepNumbers = true,
            StopWordsRemoverOptions = null,
            WordFeatureExtractor = null,
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = true },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.FeaturizeText("TextFeatures", text, nameof(ModelInput.Text)))
            .Append(ml.Transforms.Concatenate("Features", "TextFeatures", nameof(ModelInput.Context)))
            .Append(Trainer(ml, kind))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);
        return new MlNetUtteranceClassifier(ml, model);
    }

    // Generated examples are many and alike; hand-written, real and reviewer examples are few and varied, so each counts more.
    // Real helpdesk turns weigh most: they are the speech the model meets, and only a few hundred of them exist.
    internal static float WeightOf(LabelledUtterance e) =>
        e.Source.StartsWith("generated", StringComparison.Ordinal) ? 1f
        : e.Source.StartsWith("stc3", StringComparison.Ordinal) ? RealWeight
        : e.Source == "feedback" ? 5f : 2f;

    /// <summary>Training weight of one real STC-3 helpdesk turn (generated = 1, hand-written = 2, feedback = 5).</summary>
    public const float RealWeight = 12f;

    private static IEstimator<ITransformer> Trainer(MLContext ml, ClassifierTrainerKind kind) => kind switch
    {
        ClassifierTrainerKind.SdcaMaximumEntropy => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
            new SdcaMaximumEntropyMulticlassTrainer.Options { ExampleWeightColumnName = nameof(ModelInput.Weight), NumberOfThreads = 1, L2Regularization = 1e-4f, MaximumNumberOfIterations = 60, Shuffle = false }),
        ClassifierTrainerKind.LbfgsMaximumEntropy => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
            new LbfgsMaximumEntropyMulticlassTrainer.Options { ExampleWeightColumnName = nameof(ModelInput.Weight), NumberOfThreads = 1, L1Regularization = 0f, L2Regularization = 0.05f }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static List<LabelledUtterance> Dedupe(IEnumerable<LabelledUtterance> items)
    {
        // The first occurrence of a normalized text wins, so hand-written labels override generated ones.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return items.Where(u => seen.Add(TextNormalizer.Normalize(u.Text) + "\u0001" + TextNormalizer.Normalize(u.NextAgentText))).ToList();
    }
}

public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);

/// <summary>Per-class precision/recall/F1, macro-F1 and the confusion matrix of one evaluation set.</summary>
public sealed record ClassifierEvaluation(string Name, int Count, IReadOnlyList<ClassMetrics> PerClass, double MacroF1, double Accuracy, int[][] Confusion)
{
    public static ClassifierEvaluation Evaluate(string name, IUtteranceClassifier classifier, IReadOnlyList<LabelledUtterance> set)
    {
        var labels = UtteranceLabels.All;
        var confusion = labels.Select(_ => new int[labels.Count]).ToArray();
        foreach (var u in set)
        {
            var predicted = classifier.Classify(u.Context).Label;
            confusion[Index(u.Label)][Index(predicted)]++;
        }
        var perClass = new List<ClassMetrics>();
        for (var i = 0; i < labels.Count; i++)
        {
            var tp = confusion[i][i];
            var support = confusion[i].Sum();
            var predicted = confusion.Sum(row => row[i]);
            var p = predicted == 0 ? 0 : (double)tp / predicted;
            var r = support == 0 ? 0 : (double)tp / support;
            perClass.Add(new ClassMetrics(labels[i], p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), support));
        }
        // Classes absent from a set (no examples) are left out of its macro average rather than counted as 0.
        var present = perClass.Where(c => c.Support > 0).ToList();
        var macro = present.Count == 0 ? 0 : present.Average(c => c.F1);
        var accuracy = set.Count == 0 ? 0 : (double)Enumerable.Range(0, labels.Count).Sum(i => confusion[i][i]) / set.Count;
        return new ClassifierEvaluation(name, set.Count, perClass, macro, accuracy, confusion);

        static int Index(string label)
        {
            for (var i = 0; i < UtteranceLabels.All.Count; i++) if (UtteranceLabels.All[i] == label) return i;
            throw new ArgumentException($"unknown label {label}");
        }
    }

    public string Format()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"{Name}: {Count} utterances, macro-F1 {MacroF1:F3}, accuracy {Accuracy:F3}");
        sb.AppendLine(ci, $"  {"label",-20} {"precision",9} {"recall",7} {"F1",6} {"support",8}");
        foreach (var c in PerClass)
            sb.AppendLine(ci, $"  {c.Label,-20} {c.Precision,9:F3} {c.Recall,7:F3} {c.F1,6:F3} {c.Support,8}");
        sb.AppendLine("  confusion (rows = true label, columns = predicted, in the order above):");
        for (var i = 0; i < Confusion.Length; i++)
            sb.AppendLine(ci, $"  {UtteranceLabels.All[i],-20} {string.Join(" ", Confusion[i].Select(n => n.ToString(ci).PadLeft(5)))}");
        return sb.ToString();
    }
}
