using System.CommandLine;

namespace HotlineQA.Host.Cli;

internal static class DemoCommand
{
    public static Command Build()
    {
        var cmd = new Command("demo", "Builds the sample calls, processes them and serves the UI on the embedded default.") ;
        cmd.SetAction(_ => CliApp.NotAvailableYet("demo", "the demo is not built yet"));
        return cmd;
    }
}
