using System.Data.Common;
using Hangfire;
using Hangfire.Server;
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
/// A step failed for good: the call is <c>failed</c> with <see cref="Exception.Message"/> as its reason, and the Hangfire
/// job ends Failed with the same reason (never retried: the pipeline's <c>AutomaticRetry</c> filter excepts this type).
/// </summary>
public sealed class StepFailedException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>
/// The part every step shares, with Hangfire as the one job engine: take Hangfire's per-call lock (so two jobs of one
/// call never run at once, on any machine sharing the storage), compute outside any transaction (analysis can take
/// minutes and must not hold SQLite's write lock), then write the output, advance the status (<c>… WHERE status IN
/// (from)</c>) in one transaction, release the lock and queue the next step. Bad input fails the call and the job at once; other errors
/// are thrown for Hangfire to retry (<c>Pipeline:MaxAttempts</c> tries in all), the last one failing the call.
/// </summary>
public sealed class StepRunner(
    HotlineDatabase db, CallStore calls, BatchStore batches, PipelineQueue queue, JobStorage storage, PcmScratch scratch,
    IOptions<PipelineOptions> options, TimeProvider clock, ILogger<StepRunner> log)
{
    private readonly PipelineOptions _o = options.Value;

    /// <summary>
    /// Runs <paramref name="step"/> for a call; returns the status the call is left in, or null when there was nothing to
    /// do (the call is finished, moved on, or deferred). Throws <see cref="StepFailedException"/> when the call failed
    /// for good, and the transient error itself when Hangfire should try again.
    /// </summary>
    /// <param name="context">Hangfire's context (null when called directly); unused since the try number is counted in
    /// <c>calls.attempts</c> (starts without finishing), kept for the job signatures.</param>
    public async Task<string?> RunAsync(long callId, PipelineStep step, Func<CallRow, CancellationToken, Task<StepOutput>> compute,
        PerformContext? context, CancellationToken ct)
    {
        // Two jobs of one call never run at once, on any machine sharing the job storage. A dead holder's lock expires
        // after Pipeline:TakeoverAfter (PostgreSQL). Released before the next step is queued: Hangfire.PostgreSql
        // polls a contended lock once a second, so the next job must not find it still held.
        using var connection = storage.GetConnection();
        var callLock = connection.AcquireDistributedLock($"hotlineqa:call:{callId}", _o.TakeoverAfter + TimeSpan.FromSeconds(30));
        (string? Result, string? QueueNext) outcome;
        try
        {
            outcome = await RunLockedAsync(callId, step, compute, ct);
        }
        finally
        {
            Release(callLock, callId);
        }
        // After the commit, outside the lock. A crash right here leaves this job unfinished in Hangfire: its re-run
        // finds the call at the next status and queues the next step then, so it is never lost.
        if (outcome.QueueNext is { } next && !CallStatus.IsFinished(next)) await SubmitAsync(callId, next, ct);
        return outcome.Result;
    }

    /// <returns>The status the call is left in (null: nothing done here), and the status whose step to queue next.</returns>
    private async Task<(string? Result, string? QueueNext)> RunLockedAsync(long callId, PipelineStep step, Func<CallRow, CancellationToken, Task<StepOutput>> compute, CancellationToken ct)
    {
        if (step.Heavy && await DeferredPastCutoffAsync(callId, step, ct)) return (null, null);
        var call = await DbRetry.RunAsync(() => calls.BeginStepAsync(callId, step.From, step.Running, ct), ct);
        if (call is null)
        {
            // Moved on already: a duplicate job, or a re-run after a crash between the commit and the enqueue of the
            // next step. Queue that step (again): a duplicate of it finds the call moved on and does nothing.
            var now = await DbRetry.RunAsync(() => calls.GetAsync(callId, ct), ct);
            log.LogDebug("call {CallId}: {Step} step skipped (the call is {Status})", callId, step.Name, now?.Status);
            return (null, now?.Status == step.Next ? step.Next : null);
        }
        // Starts of this step that did not finish, this one included. Hangfire counts only tries that threw; a worker
        // killed mid-step (SIGKILL, out of memory, a native crash in a decoder) is taken over without end. More starts
        // than MaxAttempts means the earlier ones died with their process: fail the call now instead of a further try.
        var attempt = call.Attempts;
        if (attempt > _o.MaxAttempts)
        {
            var died = $"{step.Name} step started {attempt} times without finishing: the worker stopped mid-step each time "
                + $"(killed, out of memory or crashed; Pipeline:MaxAttempts = {_o.MaxAttempts})";
            log.LogWarning("call {CallId}: {Step} step failed: {Reason}", callId, step.Name, died);
            await DbRetry.RunAsync(() => calls.MarkFailedAsync(callId, died, CancellationToken.None), CancellationToken.None);
            scratch.Delete(callId);
            throw new StepFailedException(died);
        }
        try
        {
            var output = await compute(call, ct);
            var advanced = await DbRetry.RunAsync(() => db.InTransactionAsync(async (c, tx) =>
            {
                if (!await calls.AdvanceAsync(c, tx, callId, step.From, step.Next, ct)) return false;
                await output(c, tx, ct);
                return true;
            }, ct), ct);
            if (!advanced)
            {
                // A retry after a lost connection whose commit had gone through: the call is at step.Next, and the next
                // step still has to be queued. (Another run cannot have advanced it: it would have needed the lock.)
                var now = await DbRetry.RunAsync(() => calls.GetAsync(callId, ct), ct);
                log.LogDebug("call {CallId}: {Step} step found the call already moved on ({Status})", callId, step.Name, now?.Status);
                return now?.Status == step.Next ? (step.Next, step.Next) : (null, null);
            }
            if (CallStatus.IsFinished(step.Next)) scratch.Delete(callId);
            log.LogInformation("call {CallId}: {Step} step done → {Status}", callId, step.Name, step.Next);
            return (step.Next, step.Next);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutdown: Hangfire gives the job back (a persistent queue) or the next start recovers it (in memory). The
            // start was not a failure: take it back, so restarting workers during long steps never fails a call.
            await UncountStartAsync(callId, step);
            throw;
        }
        catch (Exception e)
        {
            var reason = StepFailure.PermanentReason(e);
            if (reason is null && attempt < _o.MaxAttempts)
            {
                var what = $"{e.GetType().Name}: {e.Message}";
                log.LogWarning("call {CallId}: {Step} step attempt {Attempt}/{Max} failed ({Error}); Hangfire retries it", callId, step.Name, attempt, _o.MaxAttempts, e.GetType().Name);
                await DbRetry.RunAsync(() => calls.NoteErrorAsync(callId, $"attempt {attempt} of the {step.Name} step failed, retrying: {what}", CancellationToken.None), CancellationToken.None);
                throw;
            }
            reason ??= $"{step.Name} step gave up after {attempt} attempts: {e.GetType().Name}: {e.Message}";
            log.LogWarning("call {CallId}: {Step} step failed: {Reason}", callId, step.Name, reason);
            await DbRetry.RunAsync(() => calls.MarkFailedAsync(callId, reason, CancellationToken.None), CancellationToken.None);
            scratch.Delete(callId);
            throw new StepFailedException(reason, e);
        }
    }

    private async Task UncountStartAsync(long callId, PipelineStep step)
    {
        try
        {
            await calls.UncountStartAsync(callId, step.Running, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            // Shutting down with the database unreachable: the start stays counted, which costs one try at most.
            log.LogWarning("call {CallId}: could not take back the {Step} step's start on shutdown ({Error})", callId, step.Name, e.GetType().Name);
        }
    }

    private Task SubmitAsync(long callId, string status, CancellationToken ct) =>
        // On PostgreSQL the job goes into Hangfire's tables: ride out a lost connection like every other write.
        DbRetry.RunAsync(() => { queue.Submit(callId, status); return Task.CompletedTask; }, ct);

    private void Release(IDisposable callLock, long callId)
    {
        try
        {
            callLock.Dispose();
        }
        catch (Exception e)
        {
            // The lock expired (held longer than TakeoverAfter) or the connection broke: the step's own result stands.
            log.LogWarning("call {CallId}: releasing the per-call lock failed ({Error})", callId, e.GetType().Name);
        }
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
}
