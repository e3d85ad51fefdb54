using System.Data.Common;
using HotlineQA.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

/// <summary>One arrow of the pipeline: which statuses it takes a call from, the status while it runs, and where it leaves it.</summary>
/// <param name="Heavy">Runs on the heavy Hangfire queue and is not started for a batch's call after the batch's morning cutoff.</param>
public sealed record PipelineStep(string Name, IReadOnlyList<string> From, string Running, string Next, bool Heavy = false)
{
    public static readonly PipelineStep Audio = new("audio", [CallStatus.Pending, CallStatus.Audio], CallStatus.Audio, CallStatus.Transcribing);
    public static readonly PipelineStep Transcribe = new("transcribe", [CallStatus.Transcribing], CallStatus.Transcribing, CallStatus.Scoring, Heavy: true);
    public static readonly PipelineStep Score = new("score", [CallStatus.Scoring], CallStatus.Scoring, CallStatus.Scored);
}

/// <summary>What a step computed, written in the same transaction that moves the call on.</summary>
public delegate Task StepOutput(DbConnection c, DbTransaction tx, CancellationToken ct);

/// <summary>
/// The part every step shares: claim the call, compute outside any transaction (analysis can take minutes and
/// must not hold SQLite's write lock), then write the output and advance the status in one transaction — only if
/// this worker still holds the claim. Bad input fails the call at once; other errors are retried a bounded number
/// of times; shutdown gives the call back untouched.
/// </summary>
public sealed class StepRunner(
    HotlineDatabase db, CallStore calls, BatchStore batches, PipelineQueue queue, IOptions<PipelineOptions> options, TimeProvider clock,
    ILogger<StepRunner> log)
{
    private readonly PipelineOptions _o = options.Value;

    public string Worker { get; init; } = WorkerIdentity.Current;

    /// <summary>Runs <paramref name="step"/> for a call; returns the status the call is left in, or null when another worker had it.</summary>
    public async Task<string?> RunAsync(long callId, PipelineStep step, Func<CallRow, CancellationToken, Task<StepOutput>> compute, CancellationToken ct)
    {
        if (step.Heavy && await DeferredPastCutoffAsync(callId, step, ct)) return null;
        var call = await DbRetry.RunAsync(() => calls.ClaimAsync(callId, step.From, step.Running, Worker, _o.StepLease, ct), ct);
        if (call is null)
        {
            log.LogDebug("call {CallId}: {Step} step skipped (finished, moved on, or held by another worker)", callId, step.Name);
            return null;
        }
        if (call.Attempts > _o.MaxAttempts)
        {
            // Claimed more often than allowed without ever finishing or failing: the worker died mid-step each time
            // (a recording that crashes the process). Fail it so the batch goes on.
            var reason = $"{step.Name} step gave up after {call.Attempts - 1} attempts: the worker stopped mid-step each time";
            log.LogError("call {CallId}: {Reason}", callId, reason);
            await DbRetry.RunAsync(() => calls.MarkFailedAsync(callId, reason, ct), ct);
            return CallStatus.Failed;
        }
        StepOutput output;
        using var leaseKeeper = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = KeepLeaseAsync(callId, leaseKeeper.Token);
        try
        {
            output = await compute(call, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await StopAsync(leaseKeeper, heartbeat);
            await DbRetry.RunAsync(() => calls.ReleaseAsync(callId, Worker, $"{step.Name} step interrupted by shutdown", refundAttempt: true, CancellationToken.None), CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await StopAsync(leaseKeeper, heartbeat);
            return await FailAsync(call, step, e, ct);
        }
        await StopAsync(leaseKeeper, heartbeat);

        var attempt = 0;
        var advanced = await DbRetry.RunAsync(async () =>
        {
            // A retry after a lost connection may find its own commit done (the acknowledgement was what got lost).
            if (attempt++ > 0 && await calls.GetAsync(callId, ct) is { } now && now.Status == step.Next && now.ClaimedBy is null) return true;
            return await db.InTransactionAsync(async (c, tx) =>
            {
                if (!await calls.AdvanceAsync(c, tx, callId, Worker, step.Next, ct)) return false;
                await output(c, tx, ct);
                return true;
            }, ct);
        }, ct);
        if (!advanced)
        {
            log.LogWarning("call {CallId}: {Step} step lost its claim (lease {Lease} ran out); its result was discarded", callId, step.Name, _o.StepLease);
            return null;
        }
        log.LogInformation("call {CallId}: {Step} step done → {Status}", callId, step.Name, step.Next);
        if (!CallStatus.IsFinished(step.Next)) await queue.EnqueueAsync(callId, step.Next, ct: ct);
        return step.Next;
    }

    /// <summary>
    /// Renews this worker's lease every third of <see cref="PipelineOptions.StepLease"/> while the step computes, so
    /// the lease can be short (a dead worker's call is taken over soon) while a long transcription keeps its claim.
    /// </summary>
    private async Task KeepLeaseAsync(long callId, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(_o.StepLease / 3, clock);
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    if (!await calls.ExtendClaimAsync(callId, Worker, _o.StepLease, ct)) return;
                }
                catch (Exception e) when (DbRetry.IsTransient(e))
                {
                    // The next tick tries again; the lease is three ticks long.
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private static async Task StopAsync(CancellationTokenSource keeper, Task heartbeat)
    {
        await keeper.CancelAsync();
        await heartbeat;
    }

    /// <summary>A batch's call whose morning cutoff has passed is left for the next night instead of starting heavy work now.</summary>
    private async Task<bool> DeferredPastCutoffAsync(long callId, PipelineStep step, CancellationToken ct)
    {
        var call = await DbRetry.RunAsync(() => calls.GetAsync(callId, ct), ct);
        if (call?.BatchId is not { } batchId || !step.From.Contains(call.Status)) return false;
        var cutoff = await DbRetry.RunAsync(() => batches.CutoffOfAsync(batchId, ct), ct);
        var now = clock.GetUtcNow();
        if (cutoff is not { } cut || now < cut) return false;
        // The next night's run adopts it and clears this; a day later is only the fallback if no run comes.
        await DbRetry.RunAsync(() => calls.DeferAsync(callId, cut + TimeSpan.FromDays(1), $"{step.Name} step waits for the next night (batch {batchId} reached its morning cutoff)", ct), ct);
        log.LogInformation("call {CallId}: {Step} step deferred to the next night (cutoff {Cutoff:u})", callId, step.Name, cut);
        return true;
    }

    private async Task<string> FailAsync(CallRow call, PipelineStep step, Exception e, CancellationToken ct)
    {
        var reason = StepFailure.PermanentReason(e);
        if (reason is not null)
        {
            log.LogWarning("call {CallId}: {Step} step failed: {Reason}", call.Id, step.Name, reason);
            await DbRetry.RunAsync(() => calls.MarkFailedAsync(call.Id, reason, ct), ct);
            return CallStatus.Failed;
        }
        var what = $"{e.GetType().Name}: {e.Message}";
        if (call.Attempts >= _o.MaxAttempts)
        {
            log.LogError(e, "call {CallId}: {Step} step gave up after {Attempts} attempts", call.Id, step.Name, call.Attempts);
            await DbRetry.RunAsync(() => calls.MarkFailedAsync(call.Id, $"{step.Name} step gave up after {call.Attempts} attempts: {what}", ct), ct);
            return CallStatus.Failed;
        }
        log.LogWarning(e, "call {CallId}: {Step} step attempt {Attempt}/{Max} failed; retrying in {Delay}", call.Id, step.Name, call.Attempts, _o.MaxAttempts, _o.RetryDelay);
        await DbRetry.RunAsync(() => calls.ReleaseAsync(call.Id, Worker, $"attempt {call.Attempts} of the {step.Name} step failed, retrying: {what}", refundAttempt: false, ct), ct);
        await queue.EnqueueAsync(call.Id, step.Running, _o.RetryDelay, ct);
        return step.Running;
    }
}
