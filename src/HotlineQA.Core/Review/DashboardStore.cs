using Dapper;
using HotlineQA.Storage;

namespace HotlineQA.Review;

/// <summary>How often reviewers confirmed each rule's findings: the precision ledger.</summary>
public sealed record LedgerRow(string Item, int Confirmed, int Overturned)
{
    public int Reviewed => Confirmed + Overturned;
    public double? Precision => Reviewed == 0 ? null : (double)Confirmed / Reviewed;
}

/// <summary>One point of a trend: a week (Monday, UTC) and the mean of a value over the calls of that week.</summary>
public sealed record TrendPoint(DateOnly Week, double Value, int Calls);

public sealed class DashboardStore(HotlineDatabase db)
{
    /// <summary>Per rubric item: the current verdicts on failed or fired findings, confirmed vs overturned.</summary>
    public async Task<IReadOnlyList<LedgerRow>> LedgerAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Item, string Verdict, long N)>(new CommandDefinition($"""
            SELECT f.item, r.verdict, COUNT(*) AS n
            FROM reviews r JOIN findings f ON f.id = r.finding_id
            WHERE f.result IN ('fail','fire')
              AND r.id = (SELECT r2.id FROM reviews r2 WHERE r2.finding_id = r.finding_id ORDER BY r2.created_at DESC, r2.id DESC LIMIT 1)
            GROUP BY f.item, r.verdict
            """, cancellationToken: ct));
        return rows.GroupBy(r => r.Item).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new LedgerRow(g.Key, (int)g.Where(x => x.Verdict == Verdicts.Confirm).Sum(x => x.N), (int)g.Where(x => x.Verdict == Verdicts.Overturn).Sum(x => x.N)))
            .ToList();
    }

    /// <summary>The score a chart counts: with <paramref name="reviewed"/> the reviewed score where reviewers have
    /// judged the call (the automatic one elsewhere), else the automatic score.</summary>
    public static string ScoreColumn(bool reviewed) => reviewed ? "COALESCE(s.reviewed_score, s.score)" : "s.score";

    /// <summary>As <see cref="ScoreColumn"/>, for the flag.</summary>
    public static string FlaggedColumn(bool reviewed) => reviewed ? "COALESCE(s.reviewed_flagged, s.flagged)" : "s.flagged";

    /// <summary>Weekly mean score per agent over the calls started since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>>> AgentTrendsAsync(DateTimeOffset since, CancellationToken ct = default) =>
        await AgentTrendsAsync(since, false, ct);

    /// <summary>Weekly mean score (automatic or reviewed) per agent over the calls started since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>>> AgentTrendsAsync(DateTimeOffset since, bool reviewed, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Agent, DateTimeOffset StartedAt, double Score)>(new CommandDefinition($"""
            SELECT c.agent, c.started_at, {ScoreColumn(reviewed)} AS score
            FROM scores s JOIN calls c ON c.id = s.call_id
            WHERE c.agent IS NOT NULL AND c.started_at >= @since
              AND {db.IsCurrentScore()}
            """, new { since }, cancellationToken: ct));
        return WeeklyByKey(rows, r => r.Agent, r => r.StartedAt, r => r.Score);
    }

    /// <summary>Weekly fail rate (0–1) per rubric item over the calls started since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>>> ItemTrendsAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Item, DateTimeOffset StartedAt, string Result)>(new CommandDefinition($"""
            SELECT f.item, c.started_at, f.result
            FROM findings f JOIN scores s ON s.id = f.score_id JOIN calls c ON c.id = s.call_id
            WHERE f.result IN ('pass','fail') AND c.started_at >= @since
              AND {db.IsCurrentScore()}
            """, new { since }, cancellationToken: ct));
        return WeeklyByKey(rows, r => r.Item, r => r.StartedAt, r => r.Result == "fail" ? 1.0 : 0.0);
    }

    /// <summary>Weekly share (0–1) of flagged calls per queue (automatic or reviewed flag).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>>> QueueFlagRatesAsync(DateTimeOffset since, bool reviewed, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Queue, DateTimeOffset StartedAt, bool Flagged)>(new CommandDefinition($"""
            SELECT c.queue, c.started_at, {FlaggedColumn(reviewed)} AS flagged
            FROM scores s JOIN calls c ON c.id = s.call_id
            WHERE c.queue IS NOT NULL AND c.started_at >= @since
              AND {db.IsCurrentScore()}
            """, new { since }, cancellationToken: ct));
        return WeeklyByKey(rows, r => r.Queue, r => r.StartedAt, r => r.Flagged ? 1.0 : 0.0);
    }

    /// <summary>Weekly mean customer sentiment (overall and at the end of the call, −1…1) over the scores that have it.</summary>
    public async Task<(IReadOnlyList<TrendPoint> Overall, IReadOnlyList<TrendPoint> End)> SentimentTrendAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<(DateTimeOffset StartedAt, double Overall, double End)>(new CommandDefinition($"""
            SELECT c.started_at, s.sentiment_overall, COALESCE(s.sentiment_end, s.sentiment_overall)
            FROM scores s JOIN calls c ON c.id = s.call_id
            WHERE s.sentiment_overall IS NOT NULL AND c.started_at >= @since
              AND {db.IsCurrentScore()}
            """, new { since }, cancellationToken: ct))).ToList();
        return (Weekly(rows.Select(r => (r.StartedAt, r.Overall))), Weekly(rows.Select(r => (r.StartedAt, r.End))));
    }

    /// <summary>One weekly series per key (agent, item, queue), keys in ordinal order.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> WeeklyByKey<T>(IEnumerable<T> rows,
        Func<T, string> key, Func<T, DateTimeOffset> at, Func<T, double> value) =>
        rows.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TrendPoint>)Weekly(g.Select(r => (at(r), value(r)))));

    private static List<TrendPoint> Weekly(IEnumerable<(DateTimeOffset At, double Value)> values) =>
        values.GroupBy(v => Monday(v.At)).OrderBy(g => g.Key)
            .Select(g => new TrendPoint(g.Key, g.Average(v => v.Value), g.Count())).ToList();

    private static DateOnly Monday(DateTimeOffset at)
    {
        var d = DateOnly.FromDateTime(at.UtcDateTime);
        return d.AddDays(-(((int)d.DayOfWeek + 6) % 7));
    }
}
