using System.CommandLine;

namespace HotlineQA.Host.Cli;

internal static class ModelsCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("name") { Description = "tiny, base, small, medium, large-v3, large-v3-turbo (e.g. whisper-base)" };
        var pull = new Command("pull", "Downloads a Whisper ONNX model with SHA-256 checks (needs internet).") { name };
        pull.SetAction(_ => CliApp.NotAvailableYet("models pull", "the Whisper engine (issue 4) is not built yet"));
        var list = new Command("list", "Lists installed models.");
        list.SetAction(_ => CliApp.NotAvailableYet("models list", "the Whisper engine (issue 4) is not built yet"));
        return new Command("models", "Manages local Whisper models.") { pull, list };
    }
}
