using Hangfire;
using HotlineQA.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

/// <summary>
/// What Hangfire cannot know: calls registered in the database by another process (<c>hotlineqa ingest</c>) and, with
/// the embedded default's in-memory job storage, the jobs that died with the last process.
/// </summary>
public sealed class PipelineRecovery(CallStore calls, PipelineQueue queue, ILogger<PipelineRecovery> log)
{
    private const int Batch = 500;

    /// <summary>
    /// Embedded default (in-memory Hangfire) on start: queues every unfinished call again, since no job survived the last
    /// process. A duplicate of a job still running in another process on the same file is harmless (guarded advance).
    /// </summary>
    public async Task<int> RecoverInMemoryQueueAsync(CancellationToken ct = default)
    {
        var total = 0;
        long after = 0;
        while (true)
        {
            var due = await DbRetry.RunAsync(() => calls.ListUnfinishedAsync(Batch, after, ct), ct);
            foreach (var (id, status) in due)
            {
                after = id;
                if (await queue.EnqueueAsync(id, status, ct)) total++;
            }
            if (due.Count < Batch) break;
        }
        if (total > 0) log.LogInformation("recovery: queued {Count} unfinished call(s) of the last run", total);
        return total;
    }

    /// <summary>Hands calls registered but never queued to Hangfire (each to one worker only); returns how many.</summary>
    public async Task<int> PickUpAsync(CancellationToken ct = default)
    {
        var total = 0;
        int n;
        do
        {
            n = await DbRetry.RunAsync(() => calls.PickUpUnqueuedAsync(Batch, queue.Submit, ct), ct);
            total += n;
        } while (n == Batch);
        if (total > 0) log.LogInformation("picked up {Count} newly registered call(s)", total);
        return total;
    }
}

/// <summary>Start-up recovery and the pickup of newly registered calls, for every host that runs workers (<c>serve</c>, <c>worker</c>, <c>ingest --wait</c>).</summary>
public sealed class PipelineHostedService(
    PipelineRecovery recovery, BatchStore batches, IRecurringJobManager recurring, IOptions<PipelineOptions> options, IOptions<BatchOptions> batch,
    IOptions<StorageOptions> storage, TimeProvider clock, ILogger<PipelineHostedService> log) : BackgroundService
{
    private static readonly TimeSpan BatchRefresh = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (storage.Value.Provider != StorageProviders.Postgres) await recovery.RecoverInMemoryQueueAsync(stoppingToken);
            RegisterBatch();
            using var timer = new PeriodicTimer(options.Value.PickupInterval, clock);
            var lastRefresh = clock.GetTimestamp();
            do
            {
                try
                {
                    await recovery.PickUpAsync(stoppingToken);
                    if (clock.GetElapsedTime(lastRefresh) >= BatchRefresh)
                    {
                        // Keeps the summaries the CLI and the UI show current (counts, failures, throughput, done/paused).
                        foreach (var id in await batches.ListOpenAsync(stoppingToken)) await batches.RefreshAsync(id, stoppingToken);
                        lastRefresh = clock.GetTimestamp();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A database hiccup must not end the pickup for good; the next tick tries again.
                    log.LogWarning("pipeline pickup failed ({Error}); trying again", e.GetType().Name);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
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
