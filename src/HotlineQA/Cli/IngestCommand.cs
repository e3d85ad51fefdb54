using System.CommandLine;

namespace HotlineQA.Host.Cli;

internal static class IngestCommand
{
    public static Command Build()
    {
        var path = new Argument<string>("path") { Description = "A recording or a folder of recordings" };
        var cmd = new Command("ingest", "Registers recordings (and sidecar transcripts) and queues them for processing.") { path };
        cmd.SetAction(_ => CliApp.NotAvailableYet("ingest", "the pipeline is not built yet"));
        return cmd;
    }
}
