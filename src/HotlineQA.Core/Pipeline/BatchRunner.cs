using System.Globalization;
using Dapper;
using Hangfire;
using HotlineQA.Ingest;
using HotlineQA.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

/// <summary>What one start of the batch did before the workers took over.</summary>
public sealed record BatchStart(long BatchId, int Found, int New, int Duplicate, int Rejected, int Adopted, int Queued,
    DateTimeOffset? CutoffAt, IReadOnlyList<string> Problems);

/// <summary>
/// The overnight batch: registers what the inbox folders hold, applies the manifest, takes over what earlier nights
/// left (deferred at their cutoff), and queues every unfinished call of the batch in priority order.
/// </summary>
public sealed class BatchRunner(
    Ingestor ingestor, BatchStore batches, HotlineDatabase db, PipelineQueue queue, IOptions<BatchOptions> options,
    TimeProvider clock, ILogger<BatchRunner> log)
{
    public async Task<BatchStart> RunAsync(string trigger, CancellationToken ct = default)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var cutoff = o.CutoffAfter(now);
        var id = await batches.StartAsync(trigger, cutoff, ct);
        var problems = new List<string>();
        var ids = new HashSet<long>();
        int found = 0, created = 0, duplicate = 0, rejected = 0;
        foreach (var folder in o.InboxFolders)
        {
            if (!Directory.Exists(folder)) { problems.Add($"{folder}: inbox folder does not exist"); continue; }
            var report = await ingestor.IngestAsync(folder, null, ct);
            found += report.Items.Count;
            created += report.New;
            duplicate += report.Duplicate;
            rejected += report.Rejected;
            foreach (var i in report.Items)
            {
                if (i.CallId is { } cid) ids.Add(cid);
                if (i.Outcome == IngestOutcome.Rejected) problems.Add($"rejected: {i.Reason}");
            }
        }
        await batches.AssignAsync(id, ids, ct);
        if (!string.IsNullOrWhiteSpace(o.ManifestPath)) problems.AddRange(await ApplyManifestAsync(o.ManifestPath, ct));
        var adopted = await batches.AdoptUnfinishedAsync(id, ct);
        await batches.SetIngestCountsAsync(id, found, created, duplicate, rejected, adopted, ct);

        var queued = 0;
        foreach (var (callId, status) in await batches.ListUnfinishedAsync(id, o.OrderBy(), ct))
            if (await queue.EnqueueAsync(callId, status, ct: ct)) queued++;
        await batches.RefreshAsync(id, ct);
        log.LogInformation("batch {Batch}: {Found} file(s), {New} new, {Adopted} taken over from earlier nights, {Queued} queued; cutoff {Cutoff}",
            id, found, created, adopted, queued, cutoff?.ToString("u", CultureInfo.InvariantCulture) ?? "none");
        return new BatchStart(id, found, created, duplicate, rejected, adopted, queued, cutoff, problems);
    }

    /// <summary>
    /// Fills in agent, queue, customer number and start time of calls whose key is the row's call id. A bad row is
    /// reported by line number and skipped; the rest of the batch goes on.
    /// </summary>
    private async Task<List<string>> ApplyManifestAsync(string path, CancellationToken ct)
    {
        var problems = new List<string>();
        if (!File.Exists(path)) { problems.Add($"{path}: manifest not found"); return problems; }
        var n = 0;
        await using var c = await db.OpenAsync(ct);
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var f = SplitCsv(line);
            if (n == 1 && f[0].Trim().Equals("call_id", StringComparison.OrdinalIgnoreCase)) continue;
            if (f.Count != 5 || string.IsNullOrWhiteSpace(f[0])) { problems.Add($"{path}:{n}: expected 5 fields (call id, agent id, queue, customer number, started at), got {f.Count}"); continue; }
            DateTimeOffset? started = null;
            if (!string.IsNullOrWhiteSpace(f[4]))
            {
                if (!DateTimeOffset.TryParse(f[4], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s))
                { problems.Add($"{path}:{n}: started at is not a date/time"); continue; }
                started = s.ToUniversalTime();
            }
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE calls SET agent = COALESCE(@agent, agent), queue = COALESCE(@queue, queue),
                                 customer_number = COALESCE(@customer, customer_number), started_at = COALESCE(@started, started_at)
                WHERE call_key = @key
                """, new { key = f[0].Trim(), agent = NullIfEmpty(f[1]), queue = NullIfEmpty(f[2]), customer = NullIfEmpty(f[3]), started }, cancellationToken: ct));
        }
        foreach (var p in problems) log.LogWarning("manifest: {Problem}", p);
        return problems;
    }

    private static string? NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>RFC 4180 fields of one line (quotes, doubled quotes); manifests do not put line breaks in fields.</summary>
    internal static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var cur = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cur.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(ch);
        }
        fields.Add(cur.ToString());
        return fields;
    }
}

/// <summary>The recurring Hangfire job of the overnight batch.</summary>
public sealed class BatchJob(BatchRunner runner)
{
    public const string RecurringId = "overnight-batch";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public Task RunAsync(CancellationToken ct) => runner.RunAsync("schedule", ct);
}
