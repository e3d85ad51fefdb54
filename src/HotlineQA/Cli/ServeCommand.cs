using System.CommandLine;
using HotlineQA.Host.Web;

namespace HotlineQA.Host.Cli;

internal static class ServeCommand
{
    public static Option<string> UrlsOption() =>
        new("--urls") { Description = "Where the web UI listens", DefaultValueFactory = _ => WebApp.DefaultUrls };

    public static Command Build()
    {
        var urls = UrlsOption();
        var cmd = new Command("serve", "Runs the web UI, API, Hangfire dashboard and workers (embedded default).") { urls };
        cmd.SetAction(async (pr, ct) =>
        {
            await using var app = WebApp.Build(pr.GetValue(urls)!);
            if (await HostConfiguration.StartOrExplainAsync(app, "serve", ct) is { } failed) return failed;
            Console.WriteLine($"HotlineQA is serving on {string.Join(", ", app.Urls)} (Ctrl+C to stop)");
            await app.WaitForShutdownAsync(ct);
            return CliApp.Ok;
        });
        return cmd;
    }
}
