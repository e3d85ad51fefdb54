using System.Text.Json;
using Dapper;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Storage;

namespace HotlineQA.Pipeline;

public sealed record RescoreSummary(string RubricVersion, int Rescored, int Skipped);

/// <summary>
/// Scores stored calls again under another rubric (version) from their stored transcript and audio timeline — no
/// audio is decoded and nothing is transcribed again. Each call's new score is stored beside the old ones (one score
/// per call and rubric version; re-running the same version replaces it in place, keeping reviewers' verdicts).
/// </summary>
public sealed class Rescorer(HotlineDatabase db, CallStore calls, UtteranceStore utterances, ScoreStore scores)
{
    /// <param name="callKeys">Only these calls (by call key); null = every scored call.</param>
    public async Task<RescoreSummary> RescoreAsync(RubricScorer scorer, IReadOnlyCollection<string>? callKeys, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        List<long> ids;
        await using (var c = await db.OpenAsync(ct))
        {
            ids = (await c.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM calls WHERE status = @scored ORDER BY id", new { scored = CallStatus.Scored }, cancellationToken: ct))).ToList();
        }
        int done = 0, skipped = 0;
        foreach (var id in ids)
        {
            ct.ThrowIfCancellationRequested();
            var call = await calls.GetAsync(id, ct);
            if (call is null || (callKeys is not null && !callKeys.Contains(call.CallKey))) continue;
            var transcript = await utterances.LoadTranscriptAsync(call, ct);
            if (transcript.Utterances.Count == 0) { skipped++; continue; }
            var timeline = call.AudioJson is null ? null : JsonSerializer.Deserialize<AudioAnalysis>(call.AudioJson, HotlineJson.Options);
            var result = scorer.Score(transcript, timeline) with { CallId = call.CallKey };
            await scores.SaveAsync(call.Id, result, ct);
            done++;
            progress?.Report(done);
        }
        return new RescoreSummary(scorer.RubricVersion, done, skipped);
    }
}
