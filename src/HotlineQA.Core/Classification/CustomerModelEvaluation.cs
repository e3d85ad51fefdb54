using System.Globalization;
using System.Text;
using HotlineQA.Transcription;
using MathNet.Numerics.Statistics;

namespace HotlineQA.Classification;

/// <summary>
/// k-fold cross-validation of the customer-state model: every fold (STC-3 dialogues, reviews and hand-written lines,
/// split by a hash of the dialogue / text) is scored by a model trained on the other folds only.
/// </summary>
public sealed record CustomerCrossValidation(
    int Folds,
    double Stc3Spearman,
    double NaiveSpearman,
    int Dialogues,
    double ReviewAccuracy,
    int Reviews,
    double PhoneMacroF1,
    double PhoneAccuracy,
    int PhoneTurns,
    int[][] PhoneConfusion,
    IReadOnlyDictionary<string, double> CallSentiment)
{
    public string Format()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"{Folds}-fold cross-validation (each fold scored by a model that never saw it):");
        sb.AppendLine(ci, $"  STC-3 per-call customer sentiment vs annotators' mean satisfaction: Spearman {Stc3Spearman:F3} over {Dialogues} dialogues (target ≥ 0.5) [measurement]");
        sb.AppendLine(ci, $"  naive baseline (negative-word count of the customer turns, negated), same dialogues: Spearman {NaiveSpearman:F3}");
        sb.AppendLine(ci, $"  reviews held out: positive/negative accuracy {ReviewAccuracy:F3} over {Reviews} reviews [measurement, written reviews]");
        sb.AppendLine(ci, $"  hand-written phone turns held out: macro-F1 {PhoneMacroF1:F3}, accuracy {PhoneAccuracy:F3} over {PhoneTurns} turns [coverage check, not a measurement]");
        sb.AppendLine("  confusion of the phone turns (rows = true, columns = predicted, order: " + string.Join(", ", CustomerLabels.All) + "):");
        for (var i = 0; i < PhoneConfusion.Length; i++)
            sb.AppendLine(ci, $"  {CustomerLabels.All[i],-16} {string.Join(" ", PhoneConfusion[i].Select(n => n.ToString(ci).PadLeft(5)))}");
        return sb.ToString();
    }
}

public static class CustomerModelEvaluation
{
    /// <summary>Ten everyday negativity words: the naive baseline the model has to beat (counted in the customer turns).</summary>
    public static readonly string[] NegativeWords = ["不", "没", "差", "慢", "投诉", "垃圾", "退", "问题", "怎么", "还"];

    public static int NegativeWordCount(IEnumerable<string> customerTurns)
    {
        var n = 0;
        foreach (var t in customerTurns)
        {
            var text = TextNormalizer.Normalize(t);
            foreach (var w in NegativeWords)
                for (var i = text.IndexOf(w, StringComparison.Ordinal); i >= 0; i = text.IndexOf(w, i + w.Length, StringComparison.Ordinal)) n++;
        }
        return n;
    }

    /// <summary>An STC-3 dialogue as a transcript: customer = the Weibo user, agent = the helpdesk, 5 s per turn.</summary>
    public static Transcript ToTranscript(Stc3Dialogue d) => new()
    {
        CallId = "stc3-" + d.Id,
        Language = "zh",
        Utterances = d.Turns.Select((t, i) => new Utterance
        {
            Speaker = t.Speaker == "customer" ? Speakers.Customer : Speakers.Agent, Start = i * 5.0, End = i * 5.0 + 4.5, Text = t.Text,
        }).ToList(),
    };

    public static double Spearman(IEnumerable<double> a, IEnumerable<double> b) => Correlation.Spearman(a, b);

    /// <param name="heldOut">Called for every STC-3 dialogue with the model of its fold (trained without it), so a caller
    /// can measure anything built on the model — e.g. the HotlineQA score — on held-out dialogues too.</param>
    public static CustomerCrossValidation CrossValidate(CustomerDataset data, IReadOnlyList<Stc3Dialogue> dialogues, int k, TextWriter? progress = null,
        Action<CustomerStateModel, Stc3Dialogue>? heldOut = null)
    {
        var sentiment = new Dictionary<string, double>(StringComparer.Ordinal);
        var reviewCorrect = 0;
        var reviewCount = 0;
        var labels = CustomerLabels.All;
        var confusion = labels.Select(_ => new int[labels.Count]).ToArray();
        for (var fold = 0; fold < k; fold++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var model = CustomerModelTraining.Train(CustomerModelTraining.Split(data, k, fold, inFold: false));
            var held = CustomerModelTraining.Split(data, k, fold, inFold: true);
            foreach (var d in dialogues.Where(d => CustomerModelTraining.FoldOf("stc3:" + d.Id, k) == fold))
            {
                sentiment[d.Id] = model.Sentiment(ToTranscript(d).Utterances).Overall;
                heldOut?.Invoke(model, d);
            }
            foreach (var r in held.Reviews)
            {
                var s = model.Classify(r.Turn);
                reviewCount++;
                if ((s.Satisfied > s.Negative) == (r.Label == CustomerLabels.Satisfied)) reviewCorrect++;
            }
            foreach (var r in held.Phone)
                confusion[IndexOf(r.Label)][IndexOf(model.Classify(r.Turn).Label)]++;
            progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  fold {fold + 1}/{k} trained and scored in {sw.Elapsed.TotalSeconds:F1} s"));
        }
        var ids = dialogues.Where(d => sentiment.ContainsKey(d.Id)).ToList();
        var sat = ids.Select(d => d.Satisfaction).ToList();
        var rho = Spearman(ids.Select(d => sentiment[d.Id]), sat);
        var naive = Spearman(ids.Select(d => -(double)NegativeWordCount(d.Turns.Where(t => t.Speaker == "customer").Select(t => t.Text))), sat);
        var f1 = new List<double>();
        for (var i = 0; i < labels.Count; i++)
        {
            var tp = confusion[i][i];
            var support = confusion[i].Sum();
            var predicted = confusion.Sum(r => r[i]);
            if (support == 0) continue;
            var p = predicted == 0 ? 0 : (double)tp / predicted;
            var r = (double)tp / support;
            f1.Add(p + r == 0 ? 0 : 2 * p * r / (p + r));
        }
        var phoneCount = confusion.Sum(r => r.Sum());
        var phoneAcc = phoneCount == 0 ? 0 : (double)Enumerable.Range(0, labels.Count).Sum(i => confusion[i][i]) / phoneCount;
        return new CustomerCrossValidation(k, rho, naive, ids.Count, reviewCount == 0 ? 0 : (double)reviewCorrect / reviewCount, reviewCount,
            f1.Count == 0 ? 0 : f1.Average(), phoneAcc, phoneCount, confusion, sentiment);

        static int IndexOf(string label)
        {
            for (var i = 0; i < CustomerLabels.All.Count; i++) if (CustomerLabels.All[i] == label) return i;
            throw new ArgumentException($"unknown label {label}");
        }
    }
}
