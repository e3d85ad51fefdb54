using System.CommandLine;

namespace HotlineQA.Host.Cli;

internal static class TranscribeCommand
{
    public static Command Build()
    {
        var file = new Argument<FileInfo>("recording") { Description = "An audio file" };
        var model = new Option<DirectoryInfo?>("--model") { Description = "Whisper ONNX model folder (default: $HOTLINEQA_MODELS/whisper-base)" };
        var format = CliApp.FormatOption();
        var cmd = new Command("transcribe", "Transcribes a recording locally with Whisper (ONNX Runtime) into transcript JSON.") { file, model, format };
        cmd.SetAction(_ => CliApp.NotAvailableYet("transcribe", "the Whisper engine (issue 4) is not built yet"));
        return cmd;
    }
}
