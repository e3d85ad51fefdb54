using System.CommandLine;

namespace HotlineQA.Host.Cli;

internal static class ServeCommand
{
    public static Command Build()
    {
        var cmd = new Command("serve", "Runs the web UI, API, Hangfire dashboard and workers (embedded default).") ;
        cmd.SetAction(_ => CliApp.NotAvailableYet("serve", "the web host is not built yet"));
        return cmd;
    }
}
