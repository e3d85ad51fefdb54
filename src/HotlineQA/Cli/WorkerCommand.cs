using System.CommandLine;

namespace HotlineQA.Host.Cli;

internal static class WorkerCommand
{
    public static Command Build()
    {
        var cmd = new Command("worker", "Runs workers only, against the shared PostgreSQL (scale-out).") ;
        cmd.SetAction(_ => CliApp.NotAvailableYet("worker", "scale-out workers (issue 7) are not built yet"));
        return cmd;
    }
}
