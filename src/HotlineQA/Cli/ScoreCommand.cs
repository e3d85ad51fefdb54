using System.CommandLine;
using System.Text;
using System.Text.Json;
using HotlineQA.Classification;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Transcription;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.Host.Cli;

internal static class ScoreCommand
{
    public static Command Build()
    {
        var file = new Argument<FileInfo?>("transcript") { Description = "A *.transcript.json file", Arity = ArgumentArity.ZeroOrOne };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Score every *.transcript.json in this folder (JSON array in file-name order)" };
        var rubric = new Option<FileInfo?>("--rubric") { Description = "Rubric YAML file (default: the built-in rubric)" };
        var format = CliApp.FormatOption();
        var cmd = new Command("score", "Scores a transcript against the rubric (one file, or every *.transcript.json of --dir).") { file, dir, rubric, format };
        cmd.SetAction(pr => Run(pr.GetValue(file), pr.GetValue(dir), pr.GetValue(rubric), pr.GetValue(format) ?? "text"));
        return cmd;
    }

    private static int Run(FileInfo? file, DirectoryInfo? dir, FileInfo? rubricFile, string format)
    {
        if ((file is null) == (dir is null))
        {
            Console.Error.WriteLine("hotlineqa score: give either a transcript file or --dir <folder>, not both and not neither.");
            return CliApp.BadUsage;
        }
        if (rubricFile is not null && !rubricFile.Exists)
            throw new BadInputException($"{rubricFile.FullName}: rubric file not found");
        var scorer = CreateScorer(rubricFile?.FullName);
        if (file is not null)
        {
            if (!file.Exists) throw new BadInputException($"{file.FullName}: file not found");
            var result = scorer.Score(Transcript.Load(file.FullName));
            Console.Out.Write(format == "json" ? JsonSerializer.Serialize(result, HotlineJson.Indented) + "\n" : Text(result));
            return CliApp.Ok;
        }
        if (!dir!.Exists) throw new BadInputException($"{dir.FullName}: folder not found");
        var files = dir.GetFiles("*.transcript.json").Select(f => f.FullName).Order(StringComparer.Ordinal).ToList();
        var results = files.Select(f => scorer.Score(Transcript.Load(f))).ToList();
        Console.Out.Write(format == "json"
            ? JsonSerializer.Serialize(results, HotlineJson.Indented) + "\n"
            : string.Concat(results.Select(Text)));
        return CliApp.Ok;
    }

    /// <summary>Same wiring as the host: rubric from options, the utterance classifier when one is registered.</summary>
    private static RubricScorer CreateScorer(string? rubricPath)
    {
        var settings = new Dictionary<string, string?>();
        if (rubricPath is not null) settings[$"{ScoringOptions.Section}:{nameof(ScoringOptions.RubricPath)}"] = rubricPath;
        var config = new ConfigurationBuilder().AddEnvironmentVariables("HOTLINEQA_").AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddClassification(config).AddScoring(config).BuildServiceProvider();
        return services.GetRequiredService<RubricScorer>();
    }

    private static string Text(ScoreResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{r.CallId}: score {r.Score:0.0} (rubric {r.RubricVersion}){(r.IsComplaint ? ", complaint call" : "")}");
        sb.AppendLine(r.Flagged ? $"  FLAGGED: {string.Join(", ", r.FlagReasons)}" : "  not flagged");
        foreach (var f in r.Findings)
        {
            var listen = f.NeedsListening == true ? " [needs listening]" : "";
            sb.AppendLine($"  {f.Item,-20} {f.Result,-4} {f.Severity,-8} {f.Confidence:0.00}{listen}{(f.Reason is null ? "" : "  " + f.Reason)}");
            foreach (var e in f.Evidence) sb.AppendLine($"      #{e.Utterance} {e.Speaker} {e.Start:0.0}-{e.End:0.0}s  {e.Text}");
        }
        return sb.ToString();
    }
}
