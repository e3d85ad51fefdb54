using HotlineQA.Review;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;

namespace HotlineQA.IntegrationTests.Review;

public sealed class ReviewStoresTestsSqlite(SqliteDatabaseFixture fx) : ReviewStoresTests(fx), IClassFixture<SqliteDatabaseFixture>;

public sealed class ReviewStoresTestsPostgres(PostgresDatabaseFixture fx) : ReviewStoresTests(fx), IClassFixture<PostgresDatabaseFixture>;

/// <summary>Triage, library and ledger queries on both dialects (the browser tests run SQLite only).</summary>
public abstract class ReviewStoresTests(DatabaseFixture fx)
{
    [Fact]
    public async Task Stores_ShouldFilterSaveAndCount_OnThisDialect()
    {
        var calls = new CallStore(fx.Db, TimeProvider.System);
        var scores = new ScoreStore(fx.Db, TimeProvider.System);
        var audit = new AuditStore(fx.Db, TimeProvider.System);
        var key = "review-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await calls.RegisterAsync(new NewCall
        {
            CallKey = key, ContentSha256 = key.PadRight(64, '0'), SizeBytes = 1, SourcePath = "/x.wav", Agent = key, Queue = "q",
            StartedAt = DateTimeOffset.UtcNow,
        })).Id;
        var ev = new Evidence { Utterance = 0, Speaker = "agent", Start = 1, End = 2, Text = "喂" };
        await scores.SaveAsync(id, new ScoreResult
        {
            RubricVersion = "t", Score = 40, Flagged = true, FlagReasons = ["NEGATIVE_END"],
            Findings = [new Finding { Item = "GREETING", Result = "fail", Severity = "major", Confidence = 0.9, Evidence = [ev] },
                new Finding { Item = "NEGATIVE_END", Result = "fire", Severity = "signal", Confidence = 0.9, Evidence = [ev] }],
        });

        var triage = new TriageStore(fx.Db);
        var rows = await triage.ListAsync(new TriageQuery { Agent = key, Item = "GREETING", FlagReason = "NEGATIVE_END", Severity = "major", MaxScore = 50 });
        Assert.Equal(id, Assert.Single(rows).Id);
        Assert.Equal(["GREETING"], rows[0].FailedItems);
        Assert.Empty(await triage.ListAsync(new TriageQuery { Agent = key, Item = "CLOSING" }));
        foreach (var sort in TriageStore.Sorts.Keys)
            Assert.Single(await triage.ListAsync(new TriageQuery { Agent = key, Sort = sort }));

        var library = new LibraryStore(fx.Db, audit, TimeProvider.System);
        var example = Assert.Single(await library.SearchAsync(new LibraryQuery { Agent = key, Outcome = "bad" }));
        Assert.Empty(await library.SearchAsync(new LibraryQuery { Agent = key, Outcome = "good" }));
        var name = "coll-" + key;
        var k1 = await library.SaveAsync(name, example.FindingId, "cora", "note");
        Assert.Equal(k1, await library.SaveAsync(name, example.FindingId, "cora", "again")); // same collection, no duplicate item
        Assert.Single(await library.ListItemsAsync(k1));

        var reviews = new ReviewStore(fx.Db, audit, TimeProvider.System);
        await reviews.AddVerdictAsync(example.FindingId, "rita", Verdicts.Overturn, null);
        var ledger = await new DashboardStore(fx.Db).LedgerAsync();
        Assert.True(ledger.Single(l => l.Item == "GREETING").Overturned >= 1);
        var trends = await new DashboardStore(fx.Db).AgentTrendsAsync(DateTimeOffset.UtcNow.AddDays(-8));
        Assert.Equal(40, Assert.Single(trends[key]).Value);
    }

    [Fact]
    public async Task Triage_ShouldListOnlyTheCurrentScore_WhenACallIsRescoredAndRescoredBack()
    {
        var clock = new HotlineQA.TestSupport.Databases.TestClock(DateTimeOffset.UtcNow);
        var calls = new CallStore(fx.Db, clock);
        var scores = new ScoreStore(fx.Db, clock);
        var key = "current-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await calls.RegisterAsync(new NewCall { CallKey = key, ContentSha256 = key.PadRight(64, '0'), SizeBytes = 1, SourcePath = "/x.wav", Agent = key })).Id;
        ScoreResult Score(string version, double score) => new() { RubricVersion = version, Score = score, Flagged = score < 70 };
        var triage = new TriageStore(fx.Db);

        await scores.SaveAsync(id, Score("v1", 40));
        clock.Advance(TimeSpan.FromMinutes(1));
        await scores.SaveAsync(id, Score("v2", 90));                    // rescored under a new rubric: v2 is current
        var row = Assert.Single(await triage.ListAsync(new TriageQuery { Agent = key }));
        Assert.Equal((90.0, false), (row.Score, row.Flagged));
        Assert.Empty(await triage.ListAsync(new TriageQuery { Agent = key, Flagged = true }));

        clock.Advance(TimeSpan.FromMinutes(1));
        await scores.SaveAsync(id, Score("v1", 35));                    // v1 applied again: its row is the newest now
        row = Assert.Single(await triage.ListAsync(new TriageQuery { Agent = key }));
        Assert.Equal(35.0, row.Score);
        Assert.Equal((await scores.GetCurrentAsync(id))!.Id, row.ScoreId);
        Assert.Equal(2, (await scores.ListForCallAsync(id)).Count);
    }
}
