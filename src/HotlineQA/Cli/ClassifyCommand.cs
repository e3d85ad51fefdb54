using System.CommandLine;

namespace HotlineQA.Host.Cli;

internal static class ClassifyCommand
{
    public static Command Build()
    {
        var format = CliApp.FormatOption();
        var cmd = new Command("classify", "Classifies agent utterances, one per input line: perfunctory_apology, sincere_apology, blame_shifting, empathy, neutral.") { format };
        cmd.SetAction(_ => CliApp.NotAvailableYet("classify", "the utterance classifier (issue 6) is not built yet"));
        return cmd;
    }
}
