using System.Data.Common;
using HotlineQA.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

/// <summary>One arrow of the pipeline: which statuses it takes a call from, the status while it runs, and where it leaves it.</summary>
public sealed record PipelineStep(string Name, IReadOnlyList<string> From, string Running, string Next)
{
    public static readonly PipelineStep Audio = new("audio", [CallStatus.Pending, CallStatus.Audio], CallStatus.Audio, CallStatus.Transcribing);
    public static readonly PipelineStep Transcribe = new("transcribe", [CallStatus.Transcribing], CallStatus.Transcribing, CallStatus.Scoring);
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
    HotlineDatabase db, CallStore calls, PipelineQueue queue, IOptions<PipelineOptions> options, ILogger<StepRunner> log)
{
    private readonly PipelineOptions _o = options.Value;

    public string Worker { get; init; } = WorkerIdentity.Current;

    /// <summary>Runs <paramref name="step"/> for a call; returns the status the call is left in, or null when another worker had it.</summary>
    public async Task<string?> RunAsync(long callId, PipelineStep step, Func<CallRow, CancellationToken, Task<StepOutput>> compute, CancellationToken ct)
    {
        var call = await calls.ClaimAsync(callId, step.From, step.Running, Worker, _o.StepLease, ct);
        if (call is null)
        {
            log.LogDebug("call {CallId}: {Step} step skipped (finished, moved on, or held by another worker)", callId, step.Name);
            return null;
        }
        StepOutput output;
        try
        {
            output = await compute(call, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await calls.ReleaseAsync(callId, Worker, $"{step.Name} step interrupted by shutdown", refundAttempt: true, CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            return await FailAsync(call, step, e, ct);
        }

        var advanced = await db.InTransactionAsync(async (c, tx) =>
        {
            if (!await calls.AdvanceAsync(c, tx, callId, Worker, step.Next, ct)) return false;
            await output(c, tx, ct);
            return true;
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

    private async Task<string> FailAsync(CallRow call, PipelineStep step, Exception e, CancellationToken ct)
    {
        var reason = StepFailure.PermanentReason(e);
        if (reason is not null)
        {
            log.LogWarning("call {CallId}: {Step} step failed: {Reason}", call.Id, step.Name, reason);
            await calls.MarkFailedAsync(call.Id, reason, ct);
            return CallStatus.Failed;
        }
        var what = $"{e.GetType().Name}: {e.Message}";
        if (call.Attempts >= _o.MaxAttempts)
        {
            log.LogError(e, "call {CallId}: {Step} step gave up after {Attempts} attempts", call.Id, step.Name, call.Attempts);
            await calls.MarkFailedAsync(call.Id, $"{step.Name} step gave up after {call.Attempts} attempts: {what}", ct);
            return CallStatus.Failed;
        }
        log.LogWarning(e, "call {CallId}: {Step} step attempt {Attempt}/{Max} failed; retrying in {Delay}", call.Id, step.Name, call.Attempts, _o.MaxAttempts, _o.RetryDelay);
        await calls.ReleaseAsync(call.Id, Worker, $"attempt {call.Attempts} of the {step.Name} step failed, retrying: {what}", refundAttempt: false, ct);
        await queue.EnqueueAsync(call.Id, step.Running, _o.RetryDelay, ct);
        return step.Running;
    }
}
