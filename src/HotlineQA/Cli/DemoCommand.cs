using System.CommandLine;
using System.Diagnostics;
using HotlineQA.Host.Demo;
using HotlineQA.Host.Web;
using HotlineQA.Ingest;
using HotlineQA.Pipeline;
using HotlineQA.Storage;

namespace HotlineQA.Host.Cli;

internal static class DemoCommand
{
    public const string DefaultInbox = "samples/generated";

    public static Command Build()
    {
        var inbox = new Option<string>("--inbox") { Description = "Folder of the sample calls; generated when it holds no .wav", DefaultValueFactory = _ => DefaultInbox };
        var urls = ServeCommand.UrlsOption();
        var user = new Option<string>("--user") { Description = "The demo account (an admin)", DefaultValueFactory = _ => "demo" };
        var noServe = new Option<bool>("--no-serve") { Description = "Stop after processing instead of serving the UI" };
        var timeout = new Option<int>("--timeout") { Description = "Give up waiting for the calls after this many seconds", DefaultValueFactory = _ => 900 };
        var cmd = new Command("demo", "Builds the sample calls, processes them and serves the UI on the embedded default.")
            { inbox, urls, user, noServe, timeout };
        cmd.SetAction((pr, ct) => RunAsync(pr.GetValue(inbox)!, pr.GetValue(urls)!, pr.GetValue(user)!, pr.GetValue(noServe), pr.GetValue(timeout), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(string inbox, string urls, string user, bool noServe, int timeoutSec, CancellationToken ct)
    {
        if (timeoutSec <= 0) { Console.Error.WriteLine("hotlineqa demo: --timeout must be at least 1"); return CliApp.BadUsage; }
        inbox = Path.GetFullPath(inbox);
        if (!Directory.Exists(inbox) || !Directory.EnumerateFiles(inbox, "*.wav").Any())
        {
            Console.WriteLine($"Rendering the sample calls into {inbox} (espeak-ng, ffmpeg)…");
            var sw = Stopwatch.StartNew();
            try
            {
                var made = await new SampleCallGenerator(new SpeechRenderer()).GenerateAsync(inbox, ct: ct);
                Console.WriteLine($"  {made.Calls.Count} calls and {made.BrokenFiles.Count} deliberately broken files in {sw.Elapsed.TotalSeconds:0} s");
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"hotlineqa demo: cannot render the sample calls: {e.Message}");
                return CliApp.BadInput;
            }
        }
        else Console.WriteLine($"Using the sample calls in {inbox}");

        // Each call's outcome is printed below; the step runner's warnings would say the same thing twice.
        // The ingest summary is printed too; one log line per file would bury it.
        var app = WebApp.Build(urls, configure: b => b.Logging
            .AddFilter("HotlineQA.Pipeline.StepRunner", LogLevel.Error)
            .AddFilter("HotlineQA.Ingest", LogLevel.Warning));
        // Migrations, then the pipeline's workers and recovery.
        if (await HostConfiguration.StartOrExplainAsync(app, "demo", ct) is { } failed)
        {
            await app.DisposeAsync();
            return failed;
        }
        try
        {
            var sp = app.Services;
            var password = UserAccounts.NewPassword();
            await sp.GetRequiredService<UserAccounts>().CreateOrUpdateAsync(user, password, Roles.Admin, ct);

            var report = await sp.GetRequiredService<Ingestor>().IngestAsync(inbox, ct: ct);
            Console.WriteLine($"Ingested {inbox}: {report.New} new, {report.Duplicate} already known, {report.Rejected} rejected");
            foreach (var r in report.Items.Where(i => i.Outcome == IngestOutcome.Rejected)) Console.WriteLine($"  rejected: {r.Reason}");

            var finished = await ProcessAsync(sp, report, TimeSpan.FromSeconds(timeoutSec), ct);
            var url = app.Urls.FirstOrDefault() ?? urls;
            Console.WriteLine();
            Console.WriteLine($"HotlineQA demo: {url}");
            Console.WriteLine($"  user:     {user}");
            Console.WriteLine($"  password: {password}");
            if (noServe) return finished ? CliApp.Ok : CliApp.BadInput;
            Console.WriteLine("Serving (Ctrl+C to stop).");
            await app.WaitForShutdownAsync(ct);
            return CliApp.Ok;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    /// <summary>Queues every demo call that is not finished and waits until each is scored or failed; prints one line per call.</summary>
    private static async Task<bool> ProcessAsync(IServiceProvider sp, IngestReport report, TimeSpan timeout, CancellationToken ct)
    {
        var calls = sp.GetRequiredService<CallStore>();
        var queue = sp.GetRequiredService<PipelineQueue>();
        var ids = report.Items.Where(i => i.CallId is not null).Select(i => i.CallId!.Value).Distinct().ToList();
        foreach (var id in ids)
            if (await calls.GetAsync(id, ct) is { } c && !CallStatus.IsFinished(c.Status)) await queue.EnqueueAsync(id, c.Status, ct: ct);

        var sw = Stopwatch.StartNew();
        var rows = new Dictionary<long, CallRow>();
        var shown = -1;
        while (true)
        {
            foreach (var id in ids) rows[id] = (await calls.GetAsync(id, ct))!;
            var done = rows.Values.Count(r => CallStatus.IsFinished(r.Status));
            if (done != shown) { Console.WriteLine($"  processed {done}/{ids.Count}"); shown = done; }
            if (done == ids.Count || sw.Elapsed >= timeout) break;
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
        }

        var scores = sp.GetRequiredService<ScoreStore>();
        foreach (var r in rows.Values.OrderBy(r => r.CallKey, StringComparer.Ordinal))
        {
            var detail = r.Status switch
            {
                CallStatus.Scored when await scores.GetCurrentAsync(r.Id, ct) is { } s =>
                    $"score {s.Score:0.#}{(s.Flagged ? " ⚑ " + string.Join(",", s.FlagReasonList) : "")}",
                CallStatus.Failed => r.Error,
                _ => "not finished in time",
            };
            Console.WriteLine($"  {r.CallKey,-26} {r.Status,-9} {detail}");
        }
        return rows.Values.All(r => CallStatus.IsFinished(r.Status));
    }
}
