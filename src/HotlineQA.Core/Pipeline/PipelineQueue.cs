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
        await calls.MarkQueuedAsync(callId, ct);
        switch (status)
        {
            case CallStatus.Pending or CallStatus.Audio:
                Submit<AudioJob>(j => j.RunAsync(callId, CancellationToken.None), delay);
                break;
            case CallStatus.Transcribing:
                Submit<TranscribeJob>(j => j.RunAsync(callId, CancellationToken.None), delay);
                break;
            case CallStatus.Scoring:
                Submit<ScoreJob>(j => j.RunAsync(callId, CancellationToken.None), delay);
                break;
            default:
                throw new ArgumentException($"unknown call status '{status}'", nameof(status));
        }
        return true;
    }

    private void Submit<T>(System.Linq.Expressions.Expression<Func<T, Task>> job, TimeSpan? delay)
    {
        if (delay is { } d && d > TimeSpan.Zero) jobs.Schedule(job, d);
        else jobs.Enqueue(job);
    }
}
