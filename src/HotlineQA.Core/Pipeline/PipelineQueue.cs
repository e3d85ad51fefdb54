using Hangfire;
using HotlineQA.Storage;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

/// <summary>Puts a call's next step on the Hangfire queue. The job reads everything else from the database.</summary>
public sealed class PipelineQueue(IBackgroundJobClient jobs, CallStore calls, IOptions<PipelineOptions> pipeline, IOptions<StorageOptions> storage)
{
    /// <summary>
    /// Queues the step that a call in <paramref name="status"/> needs and notes it on the call; false for a finished call.
    /// A process without workers on the embedded default (<c>batch run</c>) has an in-memory queue nobody reads: it
    /// leaves the call for the pickup of a running <c>serve</c>/<c>worker</c> instead.
    /// </summary>
    public async Task<bool> EnqueueAsync(long callId, string status, CancellationToken ct = default)
    {
        if (CallStatus.IsFinished(status)) return false;
        if (!pipeline.Value.RunsSteps && storage.Value.Provider != StorageProviders.Postgres)
        {
            await DbRetry.RunAsync(() => calls.MarkUnqueuedAsync(callId, ct), ct);
            return true;
        }
        // On PostgreSQL the job goes into Hangfire's tables: ride out a lost connection like every other write.
        await DbRetry.RunAsync(() => { Submit(callId, status); return Task.CompletedTask; }, ct);
        await DbRetry.RunAsync(() => calls.MarkQueuedAsync(callId, ct), ct);
        return true;
    }

    /// <summary>
    /// Creates the Hangfire job of the step a call in <paramref name="status"/> needs (steps after their commit, the
    /// pickup inside its transaction). A duplicate job finds the call moved on and does nothing.
    /// </summary>
    public void Submit(long callId, string status)
    {
        switch (status)
        {
            case CallStatus.Pending or CallStatus.Audio:
                jobs.Enqueue<AudioJob>(PipelineOptions.DefaultQueue, j => j.RunAsync(callId, null, CancellationToken.None));
                break;
            case CallStatus.Transcribing:
                jobs.Enqueue<TranscribeJob>(PipelineOptions.HeavyQueue, j => j.RunAsync(callId, null, CancellationToken.None));
                break;
            case CallStatus.Scoring:
                jobs.Enqueue<ScoreJob>(PipelineOptions.DefaultQueue, j => j.RunAsync(callId, null, CancellationToken.None));
                break;
            default:
                throw new ArgumentException($"no step for a call in status '{status}'", nameof(status));
        }
    }
}
