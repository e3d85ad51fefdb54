using Hangfire;
using HotlineQA.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

/// <summary>
/// Makes the <c>calls</c> table, not Hangfire's queue, the source of truth: queues every unfinished call that no
/// live worker holds — all of them on start (an in-memory queue died with the last process), then periodically
/// those registered by another process or whose job was lost.
/// </summary>
public sealed class PipelineRecovery(
    CallStore calls, PipelineQueue queue, IOptions<PipelineOptions> options, IOptions<StorageOptions> storage, JobStorage jobs, TimeProvider clock,
    ILogger<PipelineRecovery> log)
{
    private const int Batch = 500;

    /// <summary>On start: frees claims of this machine's dead predecessors, then queues every unfinished call. Returns how many were queued.</summary>
    public async Task<int> RecoverAsync(CancellationToken ct = default)
    {
        foreach (var holder in await calls.ListClaimHoldersAsync(ct))
            if (WorkerIdentity.IsDeadOnThisHost(holder))
            {
                var n = await calls.ReleaseClaimsOfAsync(holder, ct);
                log.LogInformation("released {Count} call(s) claimed by {Worker}, which is no longer running", n, holder);
            }
        // An in-memory queue died with the last process, so everything unfinished goes back on it; so does the
        // first worker of a PostgreSQL cluster (jobs may have been lost with the whole cluster). A worker joining
        // live ones only takes what a sweep would: re-queuing all would put one duplicate job per joining worker
        // in front of every later step.
        var queuedBefore = storage.Value.Provider == StorageProviders.Postgres && OtherServersAlive()
            ? clock.GetUtcNow() - options.Value.RequeueAfter
            : clock.GetUtcNow() + TimeSpan.FromTicks(1);
        var queued = await QueueAsync(queuedBefore, ct);
        if (queued > 0) log.LogInformation("recovery: queued {Count} unfinished call(s)", queued);
        return queued;
    }

    private bool OtherServersAlive()
    {
        var me = WorkerIdentity.Current;
        return jobs.GetMonitoringApi().Servers().Any(s => !s.Name.StartsWith(me, StringComparison.OrdinalIgnoreCase)
                                                          && s.Heartbeat is { } h && h > clock.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(1));
    }

    /// <summary>Periodic: queues unfinished calls never queued, or queued long ago and still untouched.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var queued = await QueueAsync(clock.GetUtcNow() - options.Value.RequeueAfter, ct);
        if (queued > 0) log.LogInformation("sweep: queued {Count} call(s)", queued);
        return queued;
    }

    private async Task<int> QueueAsync(DateTimeOffset queuedBefore, CancellationToken ct)
    {
        var total = 0;
        long after = 0;
        while (true)
        {
            var due = await calls.ListRecoverableAsync(queuedBefore, Batch, after, ct);
            foreach (var (id, status, abandoned) in due)
            {
                after = id;
                // A dead worker's claim: taken back at once (not after RequeueAfter), by one sweeper only.
                if (abandoned && !await calls.ClearExpiredClaimAsync(id, ct)) continue;
                if (await queue.EnqueueAsync(id, status, ct: ct)) total++;
            }
            if (due.Count < Batch) return total;
        }
    }
}

/// <summary>Recovery on start and the periodic sweep, for every host that runs workers (<c>serve</c>, <c>worker</c>, <c>ingest --wait</c>).</summary>
public sealed class PipelineHostedService(
    PipelineRecovery recovery, BatchStore batches, IRecurringJobManager recurring, IOptions<PipelineOptions> options, IOptions<BatchOptions> batch,
    TimeProvider clock, ILogger<PipelineHostedService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await DbRetry.RunAsync(() => recovery.RecoverAsync(stoppingToken), stoppingToken);
            RegisterBatch();
            using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await recovery.SweepAsync(stoppingToken);
                    // Keeps the summaries the CLI and the UI show current (counts, failures, throughput, done/paused).
                    foreach (var id in await batches.ListOpenAsync(stoppingToken)) await batches.RefreshAsync(id, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A database hiccup must not end the sweep for good; the next tick tries again.
                    log.LogError(e, "pipeline sweep failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>The nightly run exists only where there is something to scan; every worker writes the same definition (idempotent).</summary>
    private void RegisterBatch()
    {
        var b = batch.Value;
        if (b.InboxFolders.Length == 0 && string.IsNullOrWhiteSpace(b.ManifestPath))
        {
            recurring.RemoveIfExists(BatchJob.RecurringId);
            return;
        }
        recurring.AddOrUpdate<BatchJob>(BatchJob.RecurringId, PipelineOptions.DefaultQueue, j => j.RunAsync(CancellationToken.None), b.Cron,
            new RecurringJobOptions { TimeZone = b.Zone });
        log.LogInformation("overnight batch: '{Cron}' ({Zone}), cutoff {Cutoff}", b.Cron, b.Zone.Id, b.MorningCutoff?.ToString() ?? "none");
    }
}
