using Dapper;
using HotlineQA.Audio;
using HotlineQA.Transcription;
using HotlineQA.Scoring;
using HotlineQA.Storage;

namespace HotlineQA.Pipeline;

public sealed record RescoreSummary(string RubricVersion, int Rescored, int Skipped);

/// <summary>
/// Scores stored calls again under another rubric (version) from their stored transcript and audio timeline — no
/// audio is decoded and nothing is transcribed again. Each call's new score is stored beside the old ones (one score
/// per call and rubric version; re-running the same version replaces it in place, keeping reviewers' verdicts).
/// </summary>
public sealed class Rescorer(HotlineDatabase db, ScoreStore scores)
{
    private sealed record Row
    {
        public long Id { get; init; }
        public string CallKey { get; init; } = "";
        public double? DurationSec { get; init; }
        public int? Channels { get; init; }
        public string? AudioJson { get; init; }
        public string? Speaker { get; init; }
        public double? StartSec { get; init; }
        public double? EndSec { get; init; }
        public string? Text { get; init; }
        public double? Confidence { get; init; }
    }

    /// <param name="callKeys">Only these calls (by call key); null = every scored call.</param>
    public async Task<RescoreSummary> RescoreAsync(RubricScorer scorer, IReadOnlyCollection<string>? callKeys, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        int done = 0, skipped = 0;
        var keys = callKeys?.ToHashSet(StringComparer.Ordinal);
        // One query streams every scored call with its utterances in order (not one query per call); each call is
        // scored and saved when its last row has been read, so memory holds one call at a time.
        await using var c = await db.OpenAsync(ct);
        var rows = c.QueryUnbufferedAsync<Row>("""
            SELECT c.id, c.call_key, c.duration_sec, c.channels, c.audio_json,
                   u.speaker, u.start_sec, u.end_sec, u.text, u.confidence
            FROM calls c LEFT JOIN utterances u ON u.call_id = c.id
            WHERE c.status = 'scored'
            ORDER BY c.id, u.idx
            """);
        Row? head = null;
        var utterances = new List<Utterance>();
        async Task FlushAsync()
        {
            if (head is null) return;
            if (utterances.Count == 0) { skipped++; return; }
            var transcript = new Transcript { CallId = head.CallKey, DurationSec = head.DurationSec, Channels = head.Channels, Utterances = utterances };
            var result = scorer.Score(transcript, AudioTimeline.Parse(head.AudioJson)) with { CallId = head.CallKey };
            await scores.SaveAsync(head.Id, result, ct);
            done++;
            progress?.Report(done);
        }
        await foreach (var r in rows.WithCancellation(ct))
        {
            if (keys is not null && !keys.Contains(r.CallKey)) continue;
            if (head?.Id != r.Id)
            {
                await FlushAsync();
                head = r;
                utterances = [];
            }
            if (r.Text is not null)
                utterances.Add(new Utterance { Speaker = r.Speaker!, Start = r.StartSec!.Value, End = r.EndSec!.Value, Text = r.Text, Confidence = r.Confidence });
        }
        await FlushAsync();
        return new RescoreSummary(scorer.RubricVersion, done, skipped);
    }
}
