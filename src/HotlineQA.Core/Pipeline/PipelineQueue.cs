using Hangfire;
using HotlineQA.Storage;

namespace HotlineQA.Pipeline;

/// <summary>Puts a call's next step on the Hangfire queue. The job reads everything else from the database.</summary>
public sealed class PipelineQueue(IBackgroundJobClient jobs, CallStore calls)
{
    /// <summary>Queues the step that a call in <paramref name="status"/> needs; false for a finished call.</summary>
    public async Task<bool> EnqueueAsync(long callId, string status, TimeSpan? delay = null, CancellationToken ct = default)
    {
        if (CallStatus.IsFinished(status)) return false;
        await DbRetry.RunAsync(() => calls.MarkQueuedAsync(callId, ct), ct);
        switch (status)
        {
            case CallStatus.Pending or CallStatus.Audio:
                await Submit<AudioJob>(PipelineOptions.DefaultQueue, j => j.RunAsync(callId, CancellationToken.None), delay, ct);
                break;
            case CallStatus.Transcribing:
                await Submit<TranscribeJob>(PipelineOptions.HeavyQueue, j => j.RunAsync(callId, CancellationToken.None), delay, ct);
                break;
            case CallStatus.Scoring:
                await Submit<ScoreJob>(PipelineOptions.DefaultQueue, j => j.RunAsync(callId, CancellationToken.None), delay, ct);
                break;
            default:
                throw new ArgumentException($"unknown call status '{status}'", nameof(status));
        }
        return true;
    }

    private Task Submit<T>(string hangfireQueue, System.Linq.Expressions.Expression<Func<T, Task>> job, TimeSpan? delay, CancellationToken ct) =>
        // On PostgreSQL the job goes into Hangfire's tables: ride out a lost connection like every other write.
        DbRetry.RunAsync(() =>
        {
            if (delay is { } d && d > TimeSpan.Zero) jobs.Schedule(hangfireQueue, job, d);
            else jobs.Enqueue(hangfireQueue, job);
            return Task.CompletedTask;
        }, ct);
}
