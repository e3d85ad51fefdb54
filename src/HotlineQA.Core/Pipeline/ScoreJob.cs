using System.Text.Json;
using Hangfire;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Storage;

namespace HotlineQA.Pipeline;

/// <summary>Pipeline step 3: score the stored transcript (and audio timeline) against the rubric and store the findings.</summary>
public sealed class ScoreJob(StepRunner runner, RubricScorer scorer, UtteranceStore utterances, ScoreStore scores)
{
    [AutomaticRetry(Attempts = 0)]
    public Task<string?> RunAsync(long callId, CancellationToken ct) =>
        runner.RunAsync(callId, PipelineStep.Score, async (call, token) =>
        {
            var transcript = await utterances.LoadTranscriptAsync(call, token);
            var timeline = call.AudioJson is null ? null : JsonSerializer.Deserialize<AudioAnalysis>(call.AudioJson, HotlineJson.Options);
            var result = scorer.Score(transcript, timeline) with { CallId = call.CallKey };
            return async (c, tx, t) => await scores.SaveAsync(c, tx, call.Id, result, t);
        }, ct);
}
