using Dapper;
using HotlineQA.Review;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;

namespace HotlineQA.IntegrationTests.Review;

public sealed class TriagePagingTestsSqlite() : TriagePagingTests(SqlDialect.Sqlite);

public sealed class TriagePagingTestsPostgres() : TriagePagingTests(SqlDialect.Postgres);

/// <summary>
/// The fast query shapes of the triage queue return exactly what the plain query returns: deep pages of the unfiltered
/// queue read from the other end (every sort, NULLs and ties included, older scores not counted), and phrases probed
/// during the walk (common, two-character) or listed from the index (rare). The oracle is the straightforward
/// <c>scores JOIN calls … ORDER BY … LIMIT … OFFSET</c> on the same database.
/// </summary>
public abstract class TriagePagingTests(SqlDialect dialect)
{
    private const int Calls = 6000;

    [Fact]
    public async Task DeepPages_ShouldEqualThePlainQuery_ForEverySort()
    {
        await using var t = await SeededAsync();
        var store = new TriageStore(t.Db);
        Assert.True(TriageStore.DeepOffset < Calls - 100);
        foreach (var sort in TriageStore.Sorts.Keys)
            foreach (var offset in new[] { TriageStore.DeepOffset, Calls - 120, Calls - 50, Calls - 7, Calls - 1 })
            {
                var got = (await store.ListAsync(new TriageQuery { Sort = sort, Offset = offset, Limit = 50 })).Select(r => r.ScoreId).ToList();
                var want = await PlainAsync(t.Db, TriageStore.Sorts[sort], "", 50, offset);
                Assert.True(want.Count > 0, $"{sort} @ {offset}: the oracle found no rows");
                Assert.True(want.SequenceEqual(got), $"{sort} @ {offset}: want [{string.Join(",", want)}] got [{string.Join(",", got)}]");
            }
        Assert.Empty(await store.ListAsync(new TriageQuery { Sort = "date", Offset = Calls }));
        Assert.Empty(await store.ListAsync(new TriageQuery { Sort = "priority", Offset = Calls + 10 }));
    }

    [Theory]
    [InlineData("要投诉你们")] // 1,200 lines: common, probed during the walk on SQLite
    [InlineData("退货")]      // two characters: no trigram, probed
    [InlineData("工单号12")]   // rare: the index's list
    public async Task Phrase_ShouldEqualThePlainQuery_WhateverItsFrequency(string phrase)
    {
        await using var t = await SeededAsync();
        var store = new TriageStore(t.Db);
        foreach (var (sort, offset) in new[] { ("priority", 0), ("priority", 100), ("date", 0), ("agent", 20) })
        {
            var got = (await store.ListAsync(new TriageQuery { Text = phrase, Sort = sort, Offset = offset, Limit = 500 })).Select(r => r.ScoreId).ToList();
            var want = await PlainAsync(t.Db, TriageStore.Sorts[sort],
                " AND s.call_id IN (SELECT u.call_id FROM utterances u WHERE u.text LIKE @Like)", 500, offset, "%" + phrase + "%");
            Assert.True(want.Count > 0, $"{phrase} {sort}: the oracle found no rows");
            Assert.True(want.SequenceEqual(got), $"{phrase} {sort} @ {offset}: want {want.Count} rows [{string.Join(",", want.Take(20))}…] got {got.Count} [{string.Join(",", got.Take(20))}…]");
        }
    }

    private static async Task<List<long>> PlainAsync(HotlineDatabase db, string order, string filter, int limit, int offset, string? like = null)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<long>(
            $"SELECT s.id FROM scores s JOIN calls c ON c.id = s.call_id WHERE {db.IsCurrentScore()}{filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
            new { Like = like })).ToList();
    }

    /// <summary>6,000 scored calls set-based: agents with NULLs, start times with ties and NULLs, sentiment with NULLs, an
    /// older (not current) score on every tenth call, and transcript lines with a common, a two-character and rare phrases.</summary>
    private async Task<TestDatabase> SeededAsync()
    {
        var t = await TestDatabase.CreateAsync(dialect);
        var pg = dialect == SqlDialect.Postgres;
        var numbers = pg ? $"generate_series(1, {Calls}) AS n(i)" : "n";
        var with = pg ? "" : $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Calls}) ";
        var now = pg ? "now()" : "'2026-11-23T00:00:00.0000000Z'";
        var started = pg
            ? "CASE WHEN i % 211 = 0 THEN NULL ELSE timestamptz '2026-06-01 00:00:00+00' + (i % 997) * interval '1 minute' END"
            : "CASE WHEN i % 211 = 0 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S.0000000Z', 1780272000 + (i % 997) * 60, 'unixepoch') END";
        await using var c = await t.Db.OpenAsync();
        await c.ExecuteAsync($"""
            {with}INSERT INTO calls (id, call_key, status, content_sha256, size_bytes, source_path, agent, queue, started_at, duration_sec, channels, created_at, updated_at)
            SELECT i, 'deep-' || i, 'scored', 'sha-' || i, 1, '/inbox/deep-' || i || '.wav',
                   CASE WHEN i % 50 = 0 THEN NULL ELSE 'agent-' || (i % 7) END, 'q' || (i % 3), {started}, 60, 2, {now}, {now}
            FROM {numbers}
            """);
        await c.ExecuteAsync($"""
            {with}INSERT INTO scores (id, call_id, rubric_version, score, flagged, flag_reasons, is_complaint, created_at, is_current, sentiment_end)
            SELECT i, i, '2026.1', (i * 7919) % 101, (i % 3 = 0), '[]', false, {now}, true,
                   CASE WHEN i % 13 = 0 THEN NULL ELSE ((i * 31) % 200) / 100.0 - 1 END
            FROM {numbers}
            """);
        await c.ExecuteAsync($"""
            {with}INSERT INTO scores (id, call_id, rubric_version, score, flagged, flag_reasons, is_complaint, created_at, is_current)
            SELECT {Calls} + i, i, '2025.1', 0, true, '[]', false, {now}, false FROM {numbers} WHERE i % 10 = 0
            """);
        await c.ExecuteAsync($"""
            {with}INSERT INTO utterances (call_id, idx, speaker, start_sec, end_sec, text)
            SELECT i, 0, 'customer', 0, 4, CASE WHEN i % 5 = 0 THEN '我要投诉你们,太不负责任了。' WHEN i % 7 = 0 THEN '我想退货,可以吗?' ELSE '您好,请问有什么可以帮您?' END
            FROM {numbers}
            """);
        await c.ExecuteAsync($"""
            {with}INSERT INTO utterances (call_id, idx, speaker, start_sec, end_sec, text)
            SELECT i, 1, 'agent', 5, 9, '您的工单号' || i || '已记录' FROM {numbers}
            """);
        await c.ExecuteAsync("ANALYZE", commandType: System.Data.CommandType.Text);
        return t;
    }
}
