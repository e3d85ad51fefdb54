using System.CommandLine;

namespace HotlineQA.Host.Cli;

internal static class AnalyzeAudioCommand
{
    public static Command Build()
    {
        var file = new Argument<FileInfo>("recording") { Description = "An audio file (WAV, MP3, FLAC, OGG, AMR, M4A…)" };
        var format = CliApp.FormatOption();
        var cmd = new Command("analyze-audio", "Decodes a recording, splits channels, runs VAD: speech per speaker, silences, overlaps, talk ratio.") { file, format };
        cmd.SetAction(_ => CliApp.NotAvailableYet("analyze-audio", "the audio front end (issue 3) is not built yet"));
        return cmd;
    }
}
