using Dapper;
using HotlineQA.Storage;

namespace HotlineQA.Review;

public sealed record LibraryQuery
{
    public string? Item { get; init; }
    /// <summary>Any of these rubric items (what a Chinese item name resolves to); combined with <see cref="Item"/> by AND.</summary>
    public IReadOnlyList<string>? Items { get; init; }
    /// <summary>A phrase the call's transcript contains (<see cref="TranscriptSearch"/>).</summary>
    public string? Text { get; init; }
    /// <summary><c>unhappy</c> or <c>worse</c>, as in triage.</summary>
    public string? Sentiment { get; init; }
    /// <summary><c>date</c> (newest first, default) or <c>sentiment</c> (most unhappy customer at the end first).</summary>
    public string Sort { get; init; } = "date";
    /// <summary><c>good</c> (the item passed) or <c>bad</c> (it failed); null for both.</summary>
    public string? Outcome { get; init; }
    public string? Agent { get; init; }
    public string? Queue { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 50;
}

public sealed record LibraryRow
{
    public long FindingId { get; init; }
    public long CallId { get; init; }
    public string CallKey { get; init; } = "";
    public string? Agent { get; init; }
    public string? Queue { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string Item { get; init; } = "";
    public string Result { get; init; } = "";
    public string? Reason { get; init; }
    public string EvidenceJson { get; init; } = "[]";
    public double? SentimentOverall { get; init; }
    public double? SentimentEnd { get; init; }
    public string? SentimentTrend { get; init; }
}

public sealed record CollectionRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public int Items { get; init; }
}

/// <summary>Coaching examples: findings with evidence from current scores, and named collections of them.</summary>
public sealed class LibraryStore(HotlineDatabase db, AuditStore audit, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Outcomes = ["good", "bad"];
    public static readonly IReadOnlyList<string> Sorts = ["date", "sentiment"];

    private const string Columns = """
        f.id AS finding_id, c.id AS call_id, c.call_key, c.agent, c.queue, c.started_at, f.item, f.result, f.reason, f.evidence_json,
        s.sentiment_overall, s.sentiment_end, s.sentiment_trend
        """;

    public async Task<IReadOnlyList<LibraryRow>> SearchAsync(LibraryQuery q, CancellationToken ct = default)
    {
        var where = new List<string>
        {
            "f.evidence_json <> '[]'",
            db.IsCurrentScore(),
        };
        where.Add(q.Outcome switch { "good" => "f.result = 'pass'", "bad" => "f.result = 'fail'", _ => "f.result IN ('pass','fail')" });
        if (q.Item is not null) where.Add("f.item = @Item");
        if (q.Agent is not null) where.Add("c.agent = @Agent");
        if (q.Queue is not null) where.Add("c.queue = @Queue");
        if (q.From is not null) where.Add("c.started_at >= @From");
        if (q.To is not null) where.Add("c.started_at < @To");
        // An item name that matches no item matches no example (not every example).
        if (q.Items is not null) where.Add(q.Items.Count == 0 ? "1 = 0" : db.Dialect == SqlDialect.Postgres ? "f.item = ANY(@Items)" : "f.item IN @Items");
        if (q.Sentiment is not null)
            where.Add(q.Sentiment switch
            {
                "unhappy" => $"s.sentiment_end < {TriageStore.UnhappyEnd.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                "worse" => "s.sentiment_trend = 'worse'",
                _ => throw new ArgumentException($"sentiment must be one of {string.Join(", ", TriageStore.SentimentFilters)}", nameof(q)),
            });
        var text = TranscriptSearch.Normalize(q.Text);
        if (text is not null) where.Add(TranscriptSearch.Condition(db, "c.id", text));
        var order = q.Sort switch
        {
            "date" => "c.started_at DESC, f.id DESC",
            "sentiment" => "s.sentiment_end IS NULL, s.sentiment_end, c.started_at DESC, f.id DESC",
            _ => throw new ArgumentException($"sort must be one of {string.Join(", ", Sorts)}", nameof(q)),
        };
        var (textFts, textLike) = TranscriptSearch.Parameters(text);
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<LibraryRow>(new CommandDefinition($"""
            SELECT {Columns}
            FROM findings f JOIN scores s ON s.id = f.score_id JOIN calls c ON c.id = s.call_id
            WHERE {string.Join(" AND ", where)}
            ORDER BY {order}
            LIMIT @Limit
            """, new { q.Item, Items = q.Items?.ToArray(), q.Agent, q.Queue, q.From, q.To, TextFts = textFts, TextLike = textLike, Limit = Math.Clamp(q.Limit, 1, 500) },
            cancellationToken: ct))).ToList();
    }

    public async Task<LibraryRow?> GetAsync(long findingId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<LibraryRow>(new CommandDefinition($"""
            SELECT {Columns}
            FROM findings f JOIN scores s ON s.id = f.score_id JOIN calls c ON c.id = s.call_id
            WHERE f.id = @findingId
            """, new { findingId }, cancellationToken: ct));
    }

    /// <summary>Adds the finding to the collection of that name, creating it when new; audited.</summary>
    public async Task<long> SaveAsync(string collection, long findingId, string user, string? note, CancellationToken ct = default)
    {
        collection = collection.Trim();
        if (collection.Length is 0 or > 100) throw new ArgumentException("a collection name of 1–100 characters is required", nameof(collection));
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var now = clock.GetUtcNow();
            var id = await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM collections WHERE name = @collection", new { collection }, tx, cancellationToken: ct))
                ?? await c.QuerySingleAsync<long>(new CommandDefinition(
                    "INSERT INTO collections (name, created_by, created_at) VALUES (@collection, @user, @now) RETURNING id",
                    new { collection, user, now }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO collection_items (collection_id, finding_id, note, added_by, added_at) VALUES (@id, @findingId, @note, @user, @now)
                ON CONFLICT (collection_id, finding_id) DO UPDATE SET note = excluded.note
                """, new { id, findingId, note, user, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(c, tx, user, "library.save", $"finding:{findingId}", $"collection:{id}", ct);
            return id;
        }, ct);
    }

    public async Task<IReadOnlyList<CollectionRow>> ListCollectionsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<CollectionRow>(new CommandDefinition("""
            SELECT k.id, k.name, k.created_by, k.created_at, (SELECT COUNT(*) FROM collection_items i WHERE i.collection_id = k.id) AS items
            FROM collections k ORDER BY k.name
            """, cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<LibraryRow>> ListItemsAsync(long collectionId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<LibraryRow>(new CommandDefinition($"""
            SELECT {Columns}
            FROM collection_items i JOIN findings f ON f.id = i.finding_id JOIN scores s ON s.id = f.score_id JOIN calls c ON c.id = s.call_id
            WHERE i.collection_id = @collectionId ORDER BY i.added_at, i.id
            """, new { collectionId }, cancellationToken: ct))).ToList();
    }
}
