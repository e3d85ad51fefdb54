using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using HotlineQA.Common;
using HotlineQA.Ingest;
using HotlineQA.Pipeline;
using HotlineQA.Storage;
using Microsoft.Extensions.Options;

namespace HotlineQA.Host.Cli;

internal static class IngestCommand
{
    public static Command Build()
    {
        var path = new Argument<string>("path") { Description = "A recording or a folder of recordings (name.transcript.json / name.meta.json beside name.wav are picked up)" };
        var wait = new Option<bool>("--wait") { Description = "Process the calls in this process and wait until each is scored or failed" };
        var timeout = new Option<int>("--timeout") { Description = "With --wait: give up after this many seconds (0 = no limit)", DefaultValueFactory = _ => 0 };
        var agent = new Option<string?>("--agent") { Description = "Agent id for every recording (overrides name.meta.json)" };
        var queue = new Option<string?>("--queue") { Description = "Queue/skill for every recording (overrides name.meta.json)" };
        var source = new Option<string?>("--source") { Description = "Recorder/site of every recording: picks its channel mapping Audio:Sources:<source> (overrides name.meta.json and the inbox folder)" };
        var format = CliApp.FormatOption();
        var cmd = new Command("ingest", "Registers recordings (and sidecar transcripts) and queues them for processing.") { path, wait, timeout, agent, queue, source, format };
        cmd.SetAction((pr, ct) => RunAsync(pr.GetValue(path)!, pr.GetValue(wait), pr.GetValue(timeout),
            new CallMetadata { Agent = pr.GetValue(agent), Queue = pr.GetValue(queue), Source = pr.GetValue(source) }, pr.GetValue(format) == "json", ct));
        return cmd;
    }

    private sealed record Line(string Path, string Outcome, long? CallId, bool Sidecar, string? Reason,
        string? Status = null, double? Score = null, bool? Flagged = null, string? Error = null);

    private static async Task<int> RunAsync(string path, bool wait, int timeoutSec, CallMetadata batch, bool json, CancellationToken ct)
    {
        if (timeoutSec < 0) { Console.Error.WriteLine("hotlineqa ingest: --timeout must be 0 or more"); return CliApp.BadUsage; }
        var builder = HostConfiguration.CreateWorkerBuilder(wait ? null : [new("Pipeline:Workers", "0")], LogLevel.Warning);
        // Step failures are reported below, per call; the log would say the same thing twice.
        builder.Logging.AddFilter("HotlineQA.Pipeline.StepRunner", LogLevel.Error);
        using var host = builder.Build();
        // Applies migrations; with --wait also starts the workers and recovery.
        if (await HostConfiguration.StartOrExplainAsync(host, "ingest", ct) is { } failed) return failed;
        try
        {
            var sp = host.Services;
            var ingestor = sp.GetRequiredService<Ingestor>();
            // A bar only for a person watching: not into a pipe or file, and never inside the JSON document.
            var report = !json && !Console.IsOutputRedirected && !Console.IsErrorRedirected
                ? await IngestWithProgressAsync(ingestor, path, batch, ct)
                : await ingestor.IngestAsync(path, batch, ct);
            var lines = report.Items.Select(i => new Line(i.Path, i.Outcome, i.CallId, i.SidecarPath is not null, i.Reason)).ToList();
            if (wait) lines = await ProcessAndWaitAsync(sp, lines, timeoutSec, json, ct);
            Print(report, lines, wait, json, sp.GetRequiredService<IOptions<PipelineOptions>>().Value);
            if (lines.Any(l => l.Status is not null && !CallStatus.IsFinished(l.Status))) return CliApp.BadInput;
            return report.Items.Count > 0 && report.Rejected == report.Items.Count ? CliApp.BadInput : CliApp.Ok;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<IngestReport> IngestWithProgressAsync(Ingestor ingestor, string path, CallMetadata batch, CancellationToken ct)
    {
        IngestReport? report = null;
        var bar = Spectre.Console.AnsiConsole.Progress();
        bar.AutoClear = true;
        bar.HideCompleted = true;
        await bar.StartAsync(async ctx =>
            {
                var task = ctx.AddTask("hashing and registering", maxValue: 1);
                var progress = new SyncProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                });
                report = await ingestor.IngestAsync(path, batch, ct, progress);
            });
        return report!;
    }

    /// <summary>Reports on the ingest's own thread (Progress&lt;T&gt; would post to the thread pool after the bar is gone).</summary>
    private sealed class SyncProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }

    private static async Task<List<Line>> ProcessAndWaitAsync(IServiceProvider sp, List<Line> lines, int timeoutSec, bool json, CancellationToken ct)
    {
        var calls = sp.GetRequiredService<CallStore>();
        var queue = sp.GetRequiredService<PipelineQueue>();
        var ids = lines.Where(l => l.CallId is not null).Select(l => l.CallId!.Value).Distinct().ToList();
        foreach (var id in ids)
            if (await calls.GetAsync(id, ct) is { } c) await queue.EnqueueAsync(id, c.Status, ct: ct);
        var sw = Stopwatch.StartNew();
        var rows = new Dictionary<long, CallRow>();
        var lastShown = -1;
        while (true)
        {
            foreach (var id in ids) rows[id] = (await calls.GetAsync(id, ct))!;
            var done = rows.Values.Count(r => CallStatus.IsFinished(r.Status));
            if (!json && done != lastShown) { Console.Error.WriteLine($"processing: {done}/{ids.Count} finished"); lastShown = done; }
            if (done == ids.Count || (timeoutSec > 0 && sw.Elapsed.TotalSeconds >= timeoutSec)) break;
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
        var scores = sp.GetRequiredService<ScoreStore>();
        var result = new List<Line>();
        foreach (var l in lines)
        {
            if (l.CallId is not { } id) { result.Add(l); continue; }
            var r = rows[id];
            var s = r.Status == CallStatus.Scored ? await scores.GetCurrentAsync(id, ct) : null;
            result.Add(l with { Status = r.Status, Score = s?.Score, Flagged = s?.Flagged, Error = r.Error });
        }
        return result;
    }

    private static void Print(IngestReport report, List<Line> lines, bool wait, bool json, PipelineOptions p)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { report.New, report.Duplicate, report.Rejected, Calls = lines }, HotlineJson.Indented));
            return;
        }
        Console.WriteLine($"{report.New} new, {report.Duplicate} duplicate, {report.Rejected} rejected");
        foreach (var l in lines.Where(l => l.Outcome == IngestOutcome.Rejected)) Console.Error.WriteLine($"  rejected: {l.Reason}");
        if (!wait)
        {
            if (report.New > 0)
                Console.WriteLine($"registered: a running `hotlineqa serve` or `hotlineqa worker` on the same database picks them up within {p.PickupInterval.TotalSeconds:0.#} s; `--wait` processes them here");
            return;
        }
        foreach (var l in lines.Where(l => l.CallId is not null))
        {
            var detail = l.Status switch
            {
                CallStatus.Scored => $"score {l.Score:0.#}{(l.Flagged == true ? ", flagged" : "")}",
                CallStatus.Failed => l.Error,
                _ => "not finished (timed out)",
            };
            Console.WriteLine($"  #{l.CallId} {Path.GetFileName(l.Path)}{(l.Sidecar ? " (+transcript)" : "")}: {l.Status} — {detail}");
        }
    }
}
