using System.CommandLine;
using HotlineQA.Classification;
using HotlineQA.Pipeline;
using HotlineQA.Scoring;
using HotlineQA.Storage;

namespace HotlineQA.Host.Cli;

internal static class RescoreCommand
{
    public static Command Build()
    {
        var rubric = new Option<FileInfo?>("--rubric") { Description = "Rubric YAML file (default: Scoring:RubricPath, else the built-in rubric)" };
        var callKeys = new Option<string[]>("--call") { Description = "Only this call (by call id); repeatable. Default: every scored call", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("rescore", "Scores stored calls again under a (new) rubric version from their stored transcripts; nothing is re-transcribed.") { rubric, callKeys };
        cmd.SetAction((pr, ct) => RunAsync(pr.GetValue(rubric), pr.GetValue(callKeys), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(FileInfo? rubricFile, string[]? callKeys, CancellationToken ct)
    {
        var config = HostConfiguration.Build();
        var services = new ServiceCollection().AddStorage(config).AddClassification(config).AddScoring(config).BuildServiceProvider();
        await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        // A --rubric file is loaded like the configured one (same pinyin table); bad YAML → BadInputException naming the line.
        var scorer = rubricFile is null
            ? services.GetRequiredService<RubricScorer>()
            : ScoringServiceCollectionExtensions.CreateScorer(services, ScoringServiceCollectionExtensions.LoadRubric(new ScoringOptions { RubricPath = rubricFile.FullName }));
        var rescorer = new Rescorer(services.GetRequiredService<HotlineDatabase>(), services.GetRequiredService<ScoreStore>());
        var summary = await rescorer.RescoreAsync(scorer, callKeys is { Length: > 0 } ? callKeys : null, ct: ct);
        // A rescore is how a rubric change reaches stored calls: audit who applied which version, from which file.
        await services.GetRequiredService<AuditStore>().WriteAsync(Environment.UserName, "rubric.rescore", $"rubric:{summary.RubricVersion}",
            $"{summary.Rescored} calls rescored from {(rubricFile is null ? "the configured rubric" : rubricFile.FullName)}", ct);
        Console.WriteLine($"rescored {summary.Rescored} calls under rubric {summary.RubricVersion}" + (summary.Skipped > 0 ? $" ({summary.Skipped} without a stored transcript skipped)" : ""));
        return CliApp.Ok;
    }
}
