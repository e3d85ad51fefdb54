using System.Diagnostics;
using System.Globalization;
using HotlineQA.Classification;
using HotlineQA.Scoring;

namespace HotlineQA.Bench;

/// <summary>
/// STC-3 (2,700 real Weibo customer–helpdesk dialogues, 19 annotators each): Spearman between the annotators' mean
/// satisfaction and (1) the per-call customer sentiment of the customer-state model, k-fold cross-validated by dialogue
/// (each fold scored by a model trained without its dialogues), (2) the naive baseline — minus the count of ten
/// negativity words in the customer turns — measured in the same run on the same dialogues, (3) the HotlineQA score
/// as the pipeline computes it (RubricScorer with the built-in classifier and the customer model — the model of each
/// dialogue's fold, so held out; customer = the Weibo user, agent = the helpdesk), and without the customer model.
/// Arguments: [folds (default 5)] [path to stc3_helpdesk_dev.json] [folder of the review CSVs].
/// </summary>
public sealed class Stc3Bench : IBenchmark
{
    public string Name => "stc3";
    public string Description => "STC-3 dialogues: Spearman of customer sentiment (k-fold by dialogue) and of the HotlineQA score vs satisfaction, against a negative-word count";

    public Task RunAsync(string[] args)
    {
        var ci = CultureInfo.InvariantCulture;
        var folds = args.Length > 0 ? int.Parse(args[0], ci) : 5;
        var stc3 = args.Length > 1 ? args[1] : Shared("stc3/stc3_helpdesk_dev.json");
        var reviews = args.Length > 2 ? args[2] : Shared("sentiment");
        var dialogues = CustomerModelTraining.ReadStc3(stc3);
        var data = CustomerModelTraining.BuildDataset(reviews, dialogues);
        Console.WriteLine($"dialogues: {dialogues.Count}; training rows: {data.Reviews.Count} reviews, {data.Stc3.Count} STC-3 customer turns, {data.Phone.Count} phone turns");

        // The HotlineQA score as the pipeline computes it (rubric + agent classifier + customer model), each dialogue scored
        // with the customer model of its fold (trained without it): a measurement, not a fit.
        var rubric = RubricLoader.LoadDefault();
        var classifier = MlNetUtteranceClassifier.Load(null);
        var heldOutScore = new Dictionary<string, double>(StringComparer.Ordinal);
        var sw = Stopwatch.StartNew();
        var cv = CustomerModelEvaluation.CrossValidate(data, dialogues, folds, Console.Out, (model, d) =>
            heldOutScore[d.Id] = new RubricScorer(rubric, classifier, new CustomerStateReader(model)).Score(CustomerModelEvaluation.ToTranscript(d)).Score);
        Console.WriteLine(string.Create(ci, $"cross-validation took {sw.Elapsed.TotalSeconds:F0} s"));
        Console.Write(cv.Format());

        var sat = dialogues.Select(d => d.Satisfaction).ToList();
        var rhoScore = CustomerModelEvaluation.Spearman(dialogues.Select(d => heldOutScore[d.Id]), sat);
        var rulesOnly = new RubricScorer(rubric, classifier);
        var rhoRules = CustomerModelEvaluation.Spearman(dialogues.Select(d => rulesOnly.Score(CustomerModelEvaluation.ToTranscript(d)).Score), sat);
        var naive = CustomerModelEvaluation.Spearman(dialogues.Select(d => -(double)CustomerModelEvaluation.NegativeWordCount(
            d.Turns.Where(t => t.Speaker == "customer").Select(t => t.Text))), sat);
        var shipped = CustomerStateModel.LoadDefault();
        var rhoShipped = CustomerModelEvaluation.Spearman(dialogues.Select(d => shipped.Sentiment(CustomerModelEvaluation.ToTranscript(d).Utterances).Overall), sat);

        Console.WriteLine();
        Console.WriteLine(string.Create(ci, $"Spearman vs annotators' mean satisfaction over {dialogues.Count} dialogues:"));
        Console.WriteLine(string.Create(ci, $"  naive baseline (−negative-word count)          {naive,7:F3}   (baseline, this run)"));
        Console.WriteLine(string.Create(ci, $"  customer sentiment, {folds}-fold held out by dialogue {cv.Stc3Spearman,7:F3}   ({cv.Stc3Spearman / naive:F2}× baseline; target ≥ 0.5) [measurement]"));
        Console.WriteLine(string.Create(ci, $"  HotlineQA score, {folds}-fold held out ({rubric.Version}) {rhoScore,7:F3}   ({rhoScore / naive:F2}× baseline; target ≥ 0.3) [measurement: rubric + classifier + customer model of the fold]"));
        Console.WriteLine(string.Create(ci, $"  HotlineQA score without the customer model     {rhoRules,7:F3}   ({rhoRules / naive:F2}× baseline; rules + classifier only, for comparison)"));
        Console.WriteLine(string.Create(ci, $"  shipped model (trained on all of them)         {rhoShipped,7:F3}   (fit, not a measurement)"));
        return Task.CompletedTask;
    }

    private static string Shared(string relative)
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "shared", "data", relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"shared/data/{relative} not found above {Directory.GetCurrentDirectory()} (pass it as an argument)");
    }
}
