using System.Data.Common;
using System.Text.Json;
using Dapper;
using HotlineQA.Common;
using HotlineQA.Scoring;

namespace HotlineQA.Storage;

public sealed record ScoreRow
{
    public long Id { get; init; }
    public long CallId { get; init; }
    public string RubricVersion { get; init; } = "";
    public double Score { get; init; }
    public bool Flagged { get; init; }
    /// <summary>JSON array of section-E signal ids, e.g. <c>["ESCALATION_RISK"]</c>.</summary>
    public string FlagReasons { get; init; } = "[]";
    public bool IsComplaint { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Customer sentiment columns (migration 0005); null for scores written before the customer model.</summary>
    public double? SentimentOverall { get; init; }
    public double? SentimentStart { get; init; }
    public double? SentimentEnd { get; init; }
    public string? SentimentTrend { get; init; }
    /// <summary>JSON array of <see cref="TurnSentiment"/>, or null.</summary>
    public string? SentimentTurnsJson { get; init; }

    /// <summary>Reviewed score and flag (migration 0007): recomputed from the reviewers' current verdicts; null before any.</summary>
    public double? ReviewedScore { get; init; }
    public bool? ReviewedFlagged { get; init; }
    public string? ReviewedFlagReasons { get; init; }
    /// <summary>The reviewer of the newest verdict.</summary>
    public string? ReviewedBy { get; init; }
    /// <summary>When the last actionable finding got its verdict: the call is reviewed; null while some are open.</summary>
    public DateTimeOffset? ReviewedAt { get; init; }

    public IReadOnlyList<string> ReviewedFlagReasonList => ReviewedFlagReasons is null ? [] : JsonSerializer.Deserialize<List<string>>(ReviewedFlagReasons, HotlineJson.Options) ?? [];

    public IReadOnlyList<string> FlagReasonList => JsonSerializer.Deserialize<List<string>>(FlagReasons, HotlineJson.Options) ?? [];

    /// <summary>The stored customer sentiment, or null when the score predates it.</summary>
    public CustomerSentiment? Sentiment => SentimentOverall is { } overall
        ? new CustomerSentiment
        {
            Overall = overall, Start = SentimentStart ?? overall, End = SentimentEnd ?? overall,
            Trend = SentimentTrend ?? CustomerSentiment.Trends.Same,
            Turns = SentimentTurnsJson is null ? [] : JsonSerializer.Deserialize<List<TurnSentiment>>(SentimentTurnsJson, HotlineJson.Options) ?? [],
        }
        : null;
}

public sealed record FindingRow
{
    public long Id { get; init; }
    public long ScoreId { get; init; }
    public string Item { get; init; } = "";
    public string Result { get; init; } = "";
    public string Severity { get; init; } = "";
    public double Confidence { get; init; }
    public string? Reason { get; init; }
    public bool NeedsListening { get; init; }
    /// <summary>JSON array of <see cref="Evidence"/> (utterance index, speaker, times, text).</summary>
    public string EvidenceJson { get; init; } = "[]";

    public IReadOnlyList<Evidence> EvidenceList => JsonSerializer.Deserialize<List<Evidence>>(EvidenceJson, HotlineJson.Options) ?? [];
}

/// <summary>Scores and their findings: one score per call and rubric version, one finding per rubric item.</summary>
public sealed class ScoreStore(HotlineDatabase db, TimeProvider clock)
{
    /// <summary>
    /// Inside a step's transaction: stores <paramref name="result"/> as the call's score for its rubric version.
    /// Re-scoring updates in place and keeps finding ids stable per item, so reviewers' verdicts survive a re-run.
    /// </summary>
    public async Task<long> SaveAsync(DbConnection c, DbTransaction tx, long callId, ScoreResult result, CancellationToken ct = default)
    {
        var items = result.Findings.Select(f => f.Item).ToList();
        if (items.Distinct(StringComparer.Ordinal).Count() != items.Count)
            throw new InvalidOperationException($"score of call {callId} lists a rubric item twice");
        var scoreId = await c.QuerySingleAsync<long>(new CommandDefinition("""
            INSERT INTO scores (call_id, rubric_version, score, flagged, flag_reasons, is_complaint, created_at,
                                sentiment_overall, sentiment_start, sentiment_end, sentiment_trend, sentiment_turns_json)
            VALUES (@CallId, @RubricVersion, @Score, @Flagged, @FlagReasons, @IsComplaint, @Now,
                    @SentimentOverall, @SentimentStart, @SentimentEnd, @SentimentTrend, @SentimentTurnsJson)
            ON CONFLICT (call_id, rubric_version) DO UPDATE SET
                score = excluded.score, flagged = excluded.flagged, flag_reasons = excluded.flag_reasons,
                is_complaint = excluded.is_complaint, created_at = excluded.created_at,
                sentiment_overall = excluded.sentiment_overall, sentiment_start = excluded.sentiment_start,
                sentiment_end = excluded.sentiment_end, sentiment_trend = excluded.sentiment_trend,
                sentiment_turns_json = excluded.sentiment_turns_json
            RETURNING id
            """, new
            {
                CallId = callId, result.RubricVersion, result.Score, result.Flagged, result.IsComplaint,
                FlagReasons = JsonSerializer.Serialize(result.FlagReasons, HotlineJson.Options), Now = clock.GetUtcNow(),
                SentimentOverall = result.CustomerSentiment?.Overall, SentimentStart = result.CustomerSentiment?.Start,
                SentimentEnd = result.CustomerSentiment?.End, SentimentTrend = result.CustomerSentiment?.Trend,
                SentimentTurnsJson = result.CustomerSentiment is { } cs ? JsonSerializer.Serialize(cs.Turns, HotlineJson.Options) : null,
            }, tx, cancellationToken: ct));
        // The call's current score is its newest (created_at, id); kept as a column for the triage queue.
        await c.ExecuteAsync(new CommandDefinition($"""
            UPDATE scores SET is_current = CASE WHEN id = (SELECT s2.id FROM scores s2 WHERE s2.call_id = @callId
                                                           ORDER BY s2.created_at DESC, s2.id DESC LIMIT 1) THEN {db.Bool(true)} ELSE {db.Bool(false)} END
            WHERE call_id = @callId
            """, new { callId }, tx, cancellationToken: ct));
        if (result.Findings.Count > 0)
            await MultiRowInsert.ExecuteAsync(c, tx,
                "INSERT INTO findings (score_id, item, result, severity, confidence, reason, needs_listening, evidence_json)",
                """
                ON CONFLICT (score_id, item) DO UPDATE SET
                    result = excluded.result, severity = excluded.severity, confidence = excluded.confidence,
                    reason = excluded.reason, needs_listening = excluded.needs_listening, evidence_json = excluded.evidence_json
                """,
                result.Findings, ct,
                ("s", _ => scoreId), ("i", f => f.Item), ("r", f => f.Result), ("v", f => f.Severity), ("c", f => f.Confidence),
                ("n", f => f.Reason), ("l", f => f.NeedsListening ?? false), ("e", f => JsonSerializer.Serialize(f.Evidence, HotlineJson.Options)));
        // Items the new result no longer lists (a section-E signal that stopped firing) go, with their verdicts.
        var stale = (await c.QueryAsync<(long Id, string Item)>(new CommandDefinition(
            "SELECT id, item FROM findings WHERE score_id = @scoreId", new { scoreId }, tx, cancellationToken: ct)))
            .Where(r => !items.Contains(r.Item, StringComparer.Ordinal)).Select(r => r.Id).ToList();
        foreach (var id in stale)
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM findings WHERE id = @id", new { id }, tx, cancellationToken: ct));
        return scoreId;
    }

    public async Task<long> SaveAsync(long callId, ScoreResult result, CancellationToken ct = default) =>
        await db.InTransactionAsync((c, tx) => SaveAsync(c, tx, callId, result, ct), ct);

    /// <summary>The newest score of the call (any rubric version), or null before it was scored.</summary>
    public async Task<ScoreRow?> GetCurrentAsync(long callId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<ScoreRow>(new CommandDefinition("""
            SELECT id, call_id, rubric_version, score, flagged, flag_reasons, is_complaint, created_at,
                   sentiment_overall, sentiment_start, sentiment_end, sentiment_trend, sentiment_turns_json,
                   reviewed_score, reviewed_flagged, reviewed_flag_reasons, reviewed_by, reviewed_at
            FROM scores WHERE call_id = @callId ORDER BY created_at DESC, id DESC LIMIT 1
            """, new { callId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ScoreRow>> ListForCallAsync(long callId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<ScoreRow>(new CommandDefinition("""
            SELECT id, call_id, rubric_version, score, flagged, flag_reasons, is_complaint, created_at,
                   sentiment_overall, sentiment_start, sentiment_end, sentiment_trend, sentiment_turns_json
            FROM scores WHERE call_id = @callId ORDER BY created_at DESC, id DESC
            """, new { callId }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<IReadOnlyList<FindingRow>> ListFindingsAsync(long scoreId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<FindingRow>(new CommandDefinition("""
            SELECT id, score_id, item, result, severity, confidence, reason, needs_listening, evidence_json
            FROM findings WHERE score_id = @scoreId ORDER BY id
            """, new { scoreId }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<FindingRow?> GetFindingAsync(long findingId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<FindingRow>(new CommandDefinition("""
            SELECT id, score_id, item, result, severity, confidence, reason, needs_listening, evidence_json
            FROM findings WHERE id = @findingId
            """, new { findingId }, cancellationToken: ct));
    }
}
