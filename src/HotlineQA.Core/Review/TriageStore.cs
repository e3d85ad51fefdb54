using Dapper;
using HotlineQA.Storage;

namespace HotlineQA.Review;

public sealed record TriageQuery
{
    /// <summary>A section-E signal id among the score's flag reasons, e.g. <c>ESCALATION_RISK</c>.</summary>
    public string? FlagReason { get; init; }
    /// <summary>A rubric item the call failed.</summary>
    public string? Item { get; init; }
    /// <summary>Only calls with a failed finding of this severity.</summary>
    public string? Severity { get; init; }
    public bool? Flagged { get; init; }
    public string? Agent { get; init; }
    public string? Queue { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public double? MinScore { get; init; }
    public double? MaxScore { get; init; }
    /// <summary>true: only reviewed calls (every actionable finding has a verdict); false: only calls not reviewed yet.</summary>
    public bool? Reviewed { get; init; }
    /// <summary>Only calls whose newest verdict is by this reviewer ("my queue").</summary>
    public string? Reviewer { get; init; }
    /// <summary>A phrase the call's transcript contains (Chinese substring search, <see cref="TranscriptSearch"/>).</summary>
    public string? Text { get; init; }
    /// <summary><c>unhappy</c>: the customer's last turns are below <see cref="TriageStore.UnhappyEnd"/>;
    /// <c>worse</c>: the customer's sentiment got worse over the call.</summary>
    public string? Sentiment { get; init; }
    /// <summary>One of <see cref="TriageStore.Sorts"/>; default <c>priority</c> (flagged first, then lowest score).</summary>
    public string Sort { get; init; } = "priority";
    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
}

public sealed record TriageRow
{
    public long Id { get; init; }
    public string CallKey { get; init; } = "";
    public string? Agent { get; init; }
    public string? Queue { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public double? DurationSec { get; init; }
    public long ScoreId { get; init; }
    public double Score { get; init; }
    public bool Flagged { get; init; }
    public string FlagReasons { get; init; } = "[]";
    public bool IsComplaint { get; init; }
    public double? ReviewedScore { get; init; }
    public bool? ReviewedFlagged { get; init; }
    public string? ReviewedBy { get; init; }
    public DateTimeOffset? ReviewedAt { get; init; }
    public double? SentimentOverall { get; init; }
    public double? SentimentEnd { get; init; }
    public string? SentimentTrend { get; init; }
    public IReadOnlyList<string> FailedItems { get; init; } = [];
}

/// <summary>
/// The reviewers' queue: scored calls by their current score, flagged first, filtered and sorted by the columns a
/// reviewer triages by. Backed by the indexes of migration 0003 (bench <c>triage</c> measures it on 100,000 calls).
/// </summary>
public sealed class TriageStore(HotlineDatabase db)
{
    /// <summary>Sort name → ORDER BY; only these names reach SQL.</summary>
    public static readonly IReadOnlyDictionary<string, string> Sorts = new Dictionary<string, string>
    {
        ["priority"] = "s.flagged DESC, s.score, s.id",
        ["score"] = "s.score, s.id",
        ["score_desc"] = "s.score DESC, s.id DESC",
        ["date"] = "c.started_at DESC, c.id DESC",
        ["date_asc"] = "c.started_at, c.id",
        ["agent"] = "c.agent, c.started_at, c.id",
        ["queue"] = "c.queue, c.started_at, c.id",
        // Most unhappy customer at the end first; scores without sentiment last.
        ["sentiment"] = "s.sentiment_end IS NULL, s.sentiment_end, s.id",
    };

    /// <summary>From this offset on, a page of the unfiltered queue past the middle is read from the other end.</summary>
    public const int DeepOffset = 5000;

    /// <summary>The same ORDER BY walked from the other end: every key's direction flipped (NULLs move with it: SQLite and
    /// PostgreSQL both put them at one end of the ascending order and the other end of the descending one).</summary>
    internal static string Reverse(string order) => string.Join(", ", order.Split(", ").Select(k =>
        k.EndsWith(" DESC", StringComparison.Ordinal) ? k[..^5] : k + " DESC"));

    /// <summary>"Customer left unhappy": the sentiment of the customer's last turns is below this (scale −1…1).</summary>
    public const double UnhappyEnd = -0.3;

    public static readonly IReadOnlyList<string> SentimentFilters = ["unhappy", "worse"];

    public async Task<IReadOnlyList<TriageRow>> ListAsync(TriageQuery q, CancellationToken ct = default)
    {
        if (!Sorts.TryGetValue(q.Sort, out var order)) throw new ArgumentException($"sort must be one of {string.Join(", ", Sorts.Keys)}", nameof(q));
        // Only the filters given become SQL: PostgreSQL cannot type a bare "@x IS NULL" parameter.
        // The current score of a call is its newest (several exist only when the rubric version changed).
        var current = db.IsCurrentScore();
        var where = new List<string> { current };
        if (q.FlagReason is not null) where.Add("s.flag_reasons LIKE @ReasonPattern");
        if (q.Item is not null) where.Add("EXISTS (SELECT 1 FROM findings f WHERE f.score_id = s.id AND f.item = @Item AND f.result = 'fail')");
        if (q.Severity is not null) where.Add("EXISTS (SELECT 1 FROM findings f WHERE f.score_id = s.id AND f.severity = @Severity AND f.result = 'fail')");
        if (q.Flagged is not null) where.Add("s.flagged = @Flagged");
        // SQLite picks the calls' agent/queue/date index for these filters and then sorts every match (130 ms for one
        // queue of eight on 100,000 calls); walking the scores in priority order and stopping after a page is faster
        // unless a filter is very rare. A unary + keeps SQLite off those indexes when the order is a score order.
        // One agent of many is that rare case: its index gives ~1/60 of the calls to sort (12 ms), while the walk probes
        // the calls of every other agent on the way (84 ms; with an item filter 16 ms against 0.44 s), so the agent
        // filter keeps its index and the planner chooses.
        var h = db.Dialect == SqlDialect.Sqlite && order.StartsWith("s.", StringComparison.Ordinal) ? "+" : "";
        if (q.Agent is not null) where.Add("c.agent = @Agent");
        if (q.Queue is not null) where.Add($"{h}c.queue = @Queue");
        if (q.From is not null) where.Add($"{h}c.started_at >= @From");
        if (q.To is not null) where.Add($"{h}c.started_at < @To");
        if (q.MinScore is not null) where.Add("s.score >= @MinScore");
        if (q.MaxScore is not null) where.Add("s.score <= @MaxScore");
        if (q.Reviewed is not null) where.Add(q.Reviewed.Value ? "s.reviewed_at IS NOT NULL" : "s.reviewed_at IS NULL");
        if (q.Reviewer is not null) where.Add("s.reviewed_by = @Reviewer");
        if (q.Sentiment is not null)
            where.Add(q.Sentiment switch
            {
                "unhappy" => $"s.sentiment_end < {UnhappyEnd.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                "worse" => "s.sentiment_trend = 'worse'",
                _ => throw new ArgumentException($"sentiment must be one of {string.Join(", ", SentimentFilters)}", nameof(q)),
            });
        var text = TranscriptSearch.Normalize(q.Text);
        await using var c = await db.OpenAsync(ct);
        if (text is not null) where.Add(await TranscriptSearch.ConditionAsync(db, c, "s.call_id", text, ct));
        // When neither the filters nor the order need the calls table, the page is picked from the scores alone and
        // only its rows are joined to their calls: deep pages then walk one index instead of joining every skipped row.
        var scoresOnly = order.StartsWith("s.", StringComparison.Ordinal) && q.Agent is null && q.Queue is null && q.From is null && q.To is null;
        // Likewise a calls order with no score filter: the page is picked from the calls that have a current score.
        var callsOnly = order.StartsWith("c.", StringComparison.Ordinal) && q.FlagReason is null && q.Item is null && q.Severity is null
                        && q.Flagged is null && q.MinScore is null && q.MaxScore is null && q.Reviewed is null && q.Reviewer is null
                        && q.Sentiment is null && text is null;
        const string columns = """
            c.id, c.call_key, c.agent, c.queue, c.started_at, c.duration_sec,
            s.id AS score_id, s.score, s.flagged, s.flag_reasons, s.is_complaint,
            s.reviewed_score, s.reviewed_flagged, s.reviewed_by, s.reviewed_at, s.sentiment_overall, s.sentiment_end, s.sentiment_trend
            """;
        var limit = Math.Clamp(q.Limit, 1, 500);
        var offset = Math.Max(0, q.Offset);
        // A deep page of the unfiltered queue (any order) walks every row before it with OFFSET (the date order's last
        // page: 100,000 rows, each probed for a current score). Past the middle, the same rows are picked walking the
        // reversed order from the other end: count the current scores (one partial index), take positions
        // [count-offset-limit, count-offset) of the reversed order and turn them round. Only unfiltered, so the count is
        // one index read and every current score has exactly one call (the calls-only page's EXISTS holds for each).
        var reversed = false;
        if (offset >= DeepOffset && where.Count == 1 && (scoresOnly || callsOnly))
        {
            var count = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM scores s WHERE {current}", cancellationToken: ct));
            if (offset >= count) return [];
            if (offset + limit / 2 > count / 2)
            {
                reversed = true;
                var end = count - offset; // rows from the end up to (excluding) the page's first row
                var start = Math.Max(0, end - limit);
                (offset, limit) = ((int)start, (int)(end - start));
                order = Reverse(order);
            }
        }
        var page = callsOnly
            // where = [current, calls filters…]: the current-score condition becomes an existence test on the call.
            ? $"""
              (SELECT c.id FROM calls c
               WHERE {string.Join(" AND ", where.Skip(1).Prepend($"EXISTS (SELECT 1 FROM scores s WHERE s.call_id = c.id AND {current})"))}
               ORDER BY {order} LIMIT @Limit OFFSET @Offset) page
              JOIN calls c ON c.id = page.id JOIN scores s ON s.call_id = c.id AND {current}
              """
            : scoresOnly
            ? $"""
              (SELECT s.id FROM scores s WHERE {string.Join(" AND ", where)} ORDER BY {order} LIMIT @Limit OFFSET @Offset) page
              JOIN scores s ON s.id = page.id JOIN calls c ON c.id = s.call_id
              """
            : null;
        var sql = page is not null
            ? $"SELECT {columns} FROM {page} ORDER BY {order}"
            : $"SELECT {columns} FROM scores s JOIN calls c ON c.id = s.call_id WHERE {string.Join(" AND ", where)} ORDER BY {order} LIMIT @Limit OFFSET @Offset";
        var (textFts, textLike) = TranscriptSearch.Parameters(text);
        var rows = (await c.QueryAsync<TriageRow>(new CommandDefinition(sql, new
            {
                q.Reviewer, TextFts = textFts, TextLike = textLike,
                ReasonPattern = q.FlagReason is null ? null : $"%\"{EscapeLike(q.FlagReason)}\"%",
                q.Item, q.Severity, q.Flagged, q.Agent, q.Queue, q.From, q.To, q.MinScore, q.MaxScore,
                Limit = limit, Offset = offset,
            }, cancellationToken: ct))).ToList();
        if (reversed) rows.Reverse();
        if (rows.Count == 0) return rows;
        // The failed items of the page's scores, in one query; ids are our own longs, so they can be literals.
        var ids = string.Join(",", rows.Select(r => r.ScoreId));
        var failed = (await c.QueryAsync<(long ScoreId, string Item)>(new CommandDefinition(
            $"SELECT score_id, item FROM findings WHERE score_id IN ({ids}) AND result = 'fail' ORDER BY score_id, item", cancellationToken: ct)))
            .ToLookup(f => f.ScoreId, f => f.Item);
        return rows.Select(r => r with { FailedItems = failed[r.ScoreId].ToList() }).ToList();
    }

    /// <summary>The values the filters offer: distinct agents, queues, failed items, fired signals and flag reasons,
    /// severities and reviewers.</summary>
    public async Task<TriageFacets> FacetsAsync(CancellationToken ct = default) => await FacetsAsync(false, ct);

    // The lists change slowly (a new agent, queue or reviewer) but cost a scan of the findings (0.1 s on SQLite, 0.8 s
    // p95 on PostgreSQL at 100,000 calls, bench triage): every page load would pay it, so they are kept for a minute.
    private static readonly TimeSpan FacetsTtl = TimeSpan.FromMinutes(1);
    private (long At, TriageFacets Facets)? _facets;

    /// <summary>The filter lists; cached for a minute unless <paramref name="fresh"/>.</summary>
    public async Task<TriageFacets> FacetsAsync(bool fresh, CancellationToken ct = default)
    {
        if (!fresh && _facets is { } cached && Environment.TickCount64 - cached.At < FacetsTtl.TotalMilliseconds) return cached.Facets;
        var facets = await LoadFacetsAsync(ct);
        _facets = (Environment.TickCount64, facets);
        return facets;
    }

    private async Task<TriageFacets> LoadFacetsAsync(CancellationToken ct)
    {
        var current = db.IsCurrentScore();
        await using var c = await db.OpenAsync(ct);
        async Task<IReadOnlyList<string>> Distinct(string sql) =>
            (await c.QueryAsync<string>(new CommandDefinition(sql, cancellationToken: ct))).ToList();
        var critical = await Distinct("SELECT DISTINCT item FROM findings WHERE result = 'fail' AND severity = 'critical' ORDER BY item");
        var facets = new TriageFacets(
            await Distinct("SELECT DISTINCT agent FROM calls WHERE agent IS NOT NULL ORDER BY agent"),
            await Distinct("SELECT DISTINCT queue FROM calls WHERE queue IS NOT NULL ORDER BY queue"),
            await Distinct("SELECT DISTINCT item FROM findings WHERE result = 'fail' ORDER BY item"),
            await Distinct("SELECT DISTINCT item FROM findings WHERE result = 'fire' ORDER BY item"),
            await Distinct("SELECT DISTINCT severity FROM findings WHERE result = 'fail' ORDER BY severity"),
            await Distinct($"SELECT DISTINCT reviewed_by FROM scores s WHERE reviewed_by IS NOT NULL AND {current} ORDER BY reviewed_by"));
        return facets with { FlagReasons = critical.Concat(facets.Signals).Distinct(StringComparer.Ordinal).ToList() };
    }

    // A signal id is [A-Z_]; '_' is a LIKE wildcard, harmless here, but '%' from a crafted query string must not widen the match.
    private static string EscapeLike(string s) => s.Replace("%", "", StringComparison.Ordinal);
}

public sealed record TriageFacets(IReadOnlyList<string> Agents, IReadOnlyList<string> Queues, IReadOnlyList<string> Items, IReadOnlyList<string> Signals,
    IReadOnlyList<string> Severities, IReadOnlyList<string> Reviewers)
{
    /// <summary>Every flag reason the filter can offer: the fired signals plus the critical items and score threshold
    /// that also flag a call (the Flag column shows all of them).</summary>
    public IReadOnlyList<string> FlagReasons { get; init; } = [];
}
