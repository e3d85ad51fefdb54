using Hangfire.Server;
using HotlineQA.Audio;
using HotlineQA.Scoring;
using HotlineQA.Storage;

namespace HotlineQA.Pipeline;

/// <summary>Pipeline step 3: score the stored transcript (and audio timeline) against the rubric and store the findings.</summary>
public sealed class ScoreJob(StepRunner runner, RubricScorer scorer, UtteranceStore utterances, ScoreStore scores)
{
    /// <summary>Hangfire entry point (retries, per-call lock and Failed state: see <see cref="StepRunner"/>).</summary>
    public Task<string?> RunAsync(long callId, PerformContext? context, CancellationToken ct) =>
        runner.RunAsync(callId, PipelineStep.Score, async (call, token) =>
        {
            var transcript = await utterances.LoadTranscriptAsync(call, token);
            var result = scorer.Score(transcript, AudioTimeline.Parse(call.AudioJson)) with { CallId = call.CallKey };
            return async (c, tx, t) => await scores.SaveAsync(c, tx, call.Id, result, t);
        }, context, ct);

    /// <summary>Direct call (tests, tools): the same step outside Hangfire.</summary>
    public Task<string?> RunAsync(long callId, CancellationToken ct) => RunAsync(callId, null, ct);
}
