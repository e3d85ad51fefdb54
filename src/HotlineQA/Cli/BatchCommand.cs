using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HotlineQA.Common;
using HotlineQA.Pipeline;
using HotlineQA.Storage;

namespace HotlineQA.Host.Cli;

/// <summary><c>hotlineqa batch run|status</c>: the overnight batch by hand, and its summaries.</summary>
internal static class BatchCommand
{
    public static Command Build()
    {
        var cmd = new Command("batch", "The overnight batch (Batch:* settings): run it now, or show the summaries of recent runs.");
        var format = CliApp.FormatOption();
        var run = new Command("run", "Scans Batch:InboxFolders and Batch:ManifestPath now and queues the batch in priority order; running workers (or `worker`/`serve` on the same database) process it.") { format };
        run.SetAction((pr, ct) => RunAsync(pr.GetValue(format) == "json", ct));
        var format2 = CliApp.FormatOption();
        var limit = new Option<int>("--last") { Description = "How many recent runs to show", DefaultValueFactory = _ => 5 };
        var status = new Command("status", "Shows recent batch runs: counts, failures with reasons, throughput.") { limit, format2 };
        status.SetAction((pr, ct) => StatusAsync(pr.GetValue(limit), pr.GetValue(format2) == "json", ct));
        cmd.Subcommands.Add(run);
        cmd.Subcommands.Add(status);
        return cmd;
    }

    private static async Task<int> RunAsync(bool json, CancellationToken ct)
    {
        // No workers here: on PostgreSQL the jobs go to the shared Hangfire queues; on SQLite a running worker's pickup takes them.
        var builder = HostConfiguration.CreateWorkerBuilder([new("Pipeline:Workers", "0"), new("Pipeline:TranscribeWorkers", "0")], LogLevel.Warning);
        using var host = builder.Build();
        if (await HostConfiguration.StartOrExplainAsync(host, "batch run", ct) is { } failed) return failed;
        try
        {
            var start = await host.Services.GetRequiredService<BatchRunner>().RunAsync("cli", ct);
            if (json) Console.WriteLine(JsonSerializer.Serialize(start, HotlineJson.Indented));
            else
            {
                Console.WriteLine($"batch {start.BatchId}: {start.Found} file(s), {start.New} new, {start.Duplicate} duplicate, {start.Rejected} rejected, " +
                                  $"{start.Adopted} taken over from earlier runs, {start.Queued} queued; cutoff {Time(start.CutoffAt)}");
                foreach (var p in start.Problems) Console.Error.WriteLine($"  {p}");
            }
            return CliApp.Ok;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> StatusAsync(int last, bool json, CancellationToken ct)
    {
        if (last < 1) { Console.Error.WriteLine("hotlineqa batch status: --last must be at least 1"); return CliApp.BadUsage; }
        var builder = HostConfiguration.CreateWorkerBuilder([new("Pipeline:Workers", "0"), new("Pipeline:TranscribeWorkers", "0")], LogLevel.Warning);
        using var host = builder.Build();
        if (await HostConfiguration.StartOrExplainAsync(host, "batch status", ct) is { } failed) return failed;
        try
        {
            var runs = await host.Services.GetRequiredService<BatchStore>().SummariesAsync(last, ct);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(runs.Select(r => new
                {
                    r.Id, r.Trigger, r.Status, r.StartedAt, r.CutoffAt, r.FinishedAt, r.Found, New = r.NewCalls, r.Duplicate, r.Rejected, r.Adopted,
                    r.Total, r.Scored, r.Failed, r.Unfinished, r.CallsPerHour,
                    Failures = r.Failures(),
                }), HotlineJson.Indented));
                return CliApp.Ok;
            }
            if (runs.Count == 0) { Console.WriteLine("no batch has run yet"); return CliApp.Ok; }
            foreach (var r in runs)
            {
                Console.WriteLine($"batch {r.Id} ({r.Trigger}) {r.Status}: started {Time(r.StartedAt)}, cutoff {Time(r.CutoffAt)}, finished {Time(r.FinishedAt)}");
                Console.WriteLine($"  {r.Total} call(s): {r.Scored} scored, {r.Failed} failed, {r.Unfinished} unfinished; " +
                                  $"{r.Found} file(s) found, {r.NewCalls} new, {r.Duplicate} duplicate, {r.Rejected} rejected, {r.Adopted} taken over; " +
                                  $"{(r.CallsPerHour is { } h ? h.ToString("0", CultureInfo.InvariantCulture) + " calls/h" : "throughput not known yet")}");
                foreach (var f in r.Failures())
                    Console.WriteLine($"  failed #{f.CallId} {f.CallKey}: {f.Reason}");
            }
            return CliApp.Ok;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static string Time(DateTimeOffset? t) => t is { } v ? v.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";
}
