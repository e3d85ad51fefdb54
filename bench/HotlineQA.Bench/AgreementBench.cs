using HotlineQA.Classification;
using HotlineQA.Scoring;
using HotlineQA.TestSupport;

namespace HotlineQA.Bench;

/// <summary>
/// The rubric's agreement with a folder of labelled calls in the dev set's format (default: ../shared/data/transcripts-dev),
/// scored as the pipeline scores them (built-in rubric + the built-in classifier + the built-in customer model), with
/// every disagreement listed; the same rubric without the customer model is the baseline of the same run.
/// Meant for labelled calls that are not in the repo: point it at them to see how the rules generalise.
/// </summary>
public sealed class AgreementBench : IBenchmark
{
    public string Name => "rubric-agreement";
    public string Description => "per-item, flag and signal agreement and complaint-call recall of the rubric with a labelled folder [folder] (default the dev set), with and without the customer model, each disagreement listed";

    public Task RunAsync(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : DevSet.Folder;
        var calls = DevSet.Load(folder);
        var rubric = RubricLoader.LoadDefault();
        var classifier = MlNetUtteranceClassifier.Load(null);
        Console.WriteLine($"{calls.Count} labelled calls in {Path.GetFullPath(folder)}");
        var withModel = new RubricScorer(rubric, classifier, CustomerStateReader.Default());
        var agreement = DevSet.Measure(withModel, calls);
        Console.WriteLine("with the customer model (as the pipeline scores):");
        foreach (var m in agreement.Mismatches) Console.WriteLine($"  {m}");
        Console.WriteLine($"  {agreement.Summary}; {Recall(withModel, calls)}");
        var phrasesOnly = new RubricScorer(rubric, classifier);
        var baseline = DevSet.Measure(phrasesOnly, calls);
        Console.WriteLine($"baseline, phrases only (same run): {baseline.Summary}; {Recall(phrasesOnly, calls)}");
        return Task.CompletedTask;
    }

    /// <summary>Complaint calls (labelled) recognised as complaint calls, and non-complaint calls taken for one.</summary>
    private static string Recall(RubricScorer scorer, IReadOnlyList<DevSet.Call> calls)
    {
        var complaints = calls.Where(c => c.Expected.IsComplaint).ToList();
        var found = complaints.Count(c => scorer.Score(c.Transcript).IsComplaint);
        var others = calls.Where(c => !c.Expected.IsComplaint).ToList();
        var falseAlarms = others.Count(c => scorer.Score(c.Transcript).IsComplaint);
        return $"complaint-call recall {found}/{complaints.Count} = {(complaints.Count == 0 ? 1 : (double)found / complaints.Count):P1}, " +
               $"non-complaint calls taken for complaints {falseAlarms}/{others.Count}";
    }
}
