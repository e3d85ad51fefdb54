using System.CommandLine;

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
        cmd.SetAction(_ => CliApp.NotAvailableYet("score", "the rubric engine (issue 5) is not built yet"));
        return cmd;
    }
}
