using HotlineQA.Classification;
using HotlineQA.Scoring;
using HotlineQA.TestSupport;

namespace HotlineQA.Bench;

/// <summary>
/// The rubric's agreement with a folder of labelled calls in the dev set's format (default: ../shared/data/transcripts-dev),
/// scored as the pipeline scores them (built-in rubric + the built-in classifier), with every disagreement listed.
/// Meant for labelled calls that are not in the repo: point it at them to see how the rules generalise.
/// </summary>
public sealed class AgreementBench : IBenchmark
{
    public string Name => "rubric-agreement";
    public string Description => "per-item, flag and signal agreement of the rubric with a labelled folder [folder] (default the dev set), each disagreement listed";

    public Task RunAsync(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : DevSet.Folder;
        var calls = DevSet.Load(folder);
        var scorer = new RubricScorer(RubricLoader.LoadDefault(), MlNetUtteranceClassifier.Load(null));
        var agreement = DevSet.Measure(scorer, calls);
        Console.WriteLine($"{calls.Count} labelled calls in {Path.GetFullPath(folder)}");
        foreach (var m in agreement.Mismatches) Console.WriteLine($"  {m}");
        Console.WriteLine(agreement.Summary);
        return Task.CompletedTask;
    }
}
