using System.Data.Common;
using System.Text.Json;
using Dapper;
using HotlineQA.Common;
using HotlineQA.Review;
using HotlineQA.Scoring;

namespace HotlineQA.Storage;

public sealed record ReviewRow
{
    public long Id { get; init; }
    public long FindingId { get; init; }
    public string Reviewer { get; init; } = "";
    /// <summary><c>confirm</c> or <c>overturn</c>.</summary>
    public string Verdict { get; init; } = "";
    public string? Note { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record DispositionRow
{
    public long Id { get; init; }
    public long CallId { get; init; }
    public string Disposition { get; init; } = "";
    public string Reviewer { get; init; } = "";
    public string? Note { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public static class Verdicts
{
    public const string Confirm = "confirm";
    public const string Overturn = "overturn";
}

/// <summary>
/// Reviewers' verdicts on findings and their dispositions of whole calls. History is kept: the newest row is the
/// current verdict. Each write is audited in the same transaction. With the rubric (the hosts register it), every verdict
/// also recomputes its score's reviewed score and flag (migration 0007) in that transaction.
/// </summary>
public sealed class ReviewStore(HotlineDatabase db, AuditStore audit, TimeProvider clock, Rubric? rubric = null)
{
    public async Task<long> AddVerdictAsync(long findingId, string reviewer, string verdict, string? note, CancellationToken ct = default)
    {
        if (verdict is not (Verdicts.Confirm or Verdicts.Overturn))
            throw new ArgumentException($"verdict must be '{Verdicts.Confirm}' or '{Verdicts.Overturn}'", nameof(verdict));
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var now = clock.GetUtcNow();
            var id = await c.QuerySingleAsync<long>(new CommandDefinition("""
                INSERT INTO reviews (finding_id, reviewer, verdict, note, created_at)
                VALUES (@findingId, @reviewer, @verdict, @note, @now)
                RETURNING id
                """, new { findingId, reviewer, verdict, note, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(c, tx, reviewer, "verdict." + verdict, $"finding:{findingId}", null, ct);
            if (rubric is not null) await RecomputeAsync(c, tx, findingId, reviewer, now, ct);
            return id;
        }, ct);
    }

    /// <summary>The reviewed score of the finding's score, from the current verdicts of all its findings.</summary>
    private async Task RecomputeAsync(DbConnection c, DbTransaction tx, long findingId, string reviewer, DateTimeOffset now, CancellationToken ct)
    {
        var scoreId = await c.QuerySingleAsync<long>(new CommandDefinition(
            "SELECT score_id FROM findings WHERE id = @findingId", new { findingId }, tx, cancellationToken: ct));
        var findings = (await c.QueryAsync<FindingRow>(new CommandDefinition("""
            SELECT id, score_id, item, result, severity, confidence, reason, needs_listening, evidence_json
            FROM findings WHERE score_id = @scoreId ORDER BY id
            """, new { scoreId }, tx, cancellationToken: ct))).ToList();
        var verdicts = (await c.QueryAsync<(long FindingId, string Verdict)>(new CommandDefinition("""
            SELECT r.finding_id, r.verdict FROM reviews r JOIN findings f ON f.id = r.finding_id
            WHERE f.score_id = @scoreId
              AND r.id = (SELECT r2.id FROM reviews r2 WHERE r2.finding_id = r.finding_id ORDER BY r2.created_at DESC, r2.id DESC LIMIT 1)
            """, new { scoreId }, tx, cancellationToken: ct))).ToDictionary(r => r.FindingId, r => r.Verdict);
        var reviewed = ReviewedScore.Compute(rubric!, findings, verdicts);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE scores SET reviewed_score = @Score, reviewed_flagged = @Flagged, reviewed_flag_reasons = @Reasons,
                              reviewed_by = @reviewer, reviewed_at = @At
            WHERE id = @scoreId
            """, new
            {
                reviewed.Score, reviewed.Flagged, Reasons = JsonSerializer.Serialize(reviewed.FlagReasons, HotlineJson.Options),
                reviewer, At = reviewed.Complete ? now : (DateTimeOffset?)null, scoreId,
            }, tx, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ReviewRow>> ListForFindingAsync(long findingId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<ReviewRow>(new CommandDefinition("""
            SELECT id, finding_id, reviewer, verdict, note, created_at FROM reviews
            WHERE finding_id = @findingId ORDER BY created_at DESC, id DESC
            """, new { findingId }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>The current (newest) verdict of every finding of a score that has one.</summary>
    public async Task<IReadOnlyList<ReviewRow>> ListCurrentForScoreAsync(long scoreId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<ReviewRow>(new CommandDefinition("""
            SELECT r.id, r.finding_id, r.reviewer, r.verdict, r.note, r.created_at
            FROM reviews r JOIN findings f ON f.id = r.finding_id
            WHERE f.score_id = @scoreId
              AND r.id = (SELECT r2.id FROM reviews r2 WHERE r2.finding_id = r.finding_id ORDER BY r2.created_at DESC, r2.id DESC LIMIT 1)
            ORDER BY r.finding_id
            """, new { scoreId }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<long> AddDispositionAsync(long callId, string disposition, string reviewer, string? note, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(disposition)) throw new ArgumentException("a disposition is required", nameof(disposition));
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var id = await c.QuerySingleAsync<long>(new CommandDefinition("""
                INSERT INTO call_dispositions (call_id, disposition, reviewer, note, created_at)
                VALUES (@callId, @disposition, @reviewer, @note, @now)
                RETURNING id
                """, new { callId, disposition, reviewer, note, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            await audit.WriteAsync(c, tx, reviewer, "disposition", $"call:{callId}", disposition, ct);
            return id;
        }, ct);
    }

    public async Task<IReadOnlyList<DispositionRow>> ListDispositionsAsync(long callId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<DispositionRow>(new CommandDefinition("""
            SELECT id, call_id, disposition, reviewer, note, created_at FROM call_dispositions
            WHERE call_id = @callId ORDER BY created_at DESC, id DESC
            """, new { callId }, cancellationToken: ct));
        return rows.ToList();
    }
}
