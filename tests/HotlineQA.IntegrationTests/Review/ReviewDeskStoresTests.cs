using HotlineQA.Review;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using HotlineQA.Transcription;

namespace HotlineQA.IntegrationTests.Review;

public sealed class ReviewDeskStoresTestsSqlite(SqliteDatabaseFixture fx) : ReviewDeskStoresTests(fx), IClassFixture<SqliteDatabaseFixture>;

public sealed class ReviewDeskStoresTestsPostgres(PostgresDatabaseFixture fx) : ReviewDeskStoresTests(fx), IClassFixture<PostgresDatabaseFixture>;

/// <summary>Migration 0007 on both dialects: reviewed scores kept from verdicts, the reviewed / reviewer filters, Chinese
/// transcript search (FTS5 trigram / pg_trgm), the sentiment filters, and dashboards on reviewed scores.</summary>
public abstract class ReviewDeskStoresTests(DatabaseFixture fx)
{
    private static readonly Rubric Rubric = RubricLoader.LoadDefault();

    [Fact]
    public async Task Verdicts_ShouldRecomputeTheReviewedScoreAndMarkTheCallReviewed_WhenEveryActionableFindingIsJudged()
    {
        var (id, key, findings) = await SeedAsync();
        var reviews = new ReviewStore(fx.Db, new AuditStore(fx.Db, TimeProvider.System), TimeProvider.System, Rubric);
        var scores = new ScoreStore(fx.Db, TimeProvider.System);
        var triage = new TriageStore(fx.Db);
        async Task<ScoreRow> Current() => (await scores.GetCurrentAsync(id))!;

        Assert.Null((await Current()).ReviewedScore);
        Assert.Single(await triage.ListAsync(new TriageQuery { Agent = key, Reviewed = false }));
        var facetsBefore = await triage.FacetsAsync();

        // Automatic: 4 of 7 points (GREETING 3 + unsure CLOSING 1 of GREETING, APOLOGY, CLOSING), capped by the critical fail.
        await reviews.AddVerdictAsync(findings["FORBIDDEN_PHRASE"], "rita", Verdicts.Overturn, null);
        var s = await Current();
        Assert.Equal(57.1, s.ReviewedScore);
        Assert.Equal(["SCORE_BELOW_70", "NEGATIVE_END"], s.ReviewedFlagReasonList);
        Assert.Null(s.ReviewedAt);
        Assert.Equal(57.1, s.Score); // the automatic score stays beside it

        await reviews.AddVerdictAsync(findings["APOLOGY"], "rita", Verdicts.Overturn, null);
        Assert.Equal(100, (await Current()).ReviewedScore);
        await reviews.AddVerdictAsync(findings["CLOSING"], "rita", Verdicts.Confirm, null); // the unsure failure counts now
        Assert.Equal(85.7, (await Current()).ReviewedScore);
        Assert.Single(await triage.ListAsync(new TriageQuery { Agent = key, Reviewed = false }));

        await reviews.AddVerdictAsync(findings["NEGATIVE_END"], "rita", Verdicts.Overturn, "customer was fine");
        s = await Current();
        Assert.Equal((85.7, false), (s.ReviewedScore, s.ReviewedFlagged));
        Assert.Empty(s.ReviewedFlagReasonList);
        Assert.NotNull(s.ReviewedAt);
        Assert.Equal("rita", s.ReviewedBy);
        Assert.Empty(await triage.ListAsync(new TriageQuery { Agent = key, Reviewed = false }));
        var row = Assert.Single(await triage.ListAsync(new TriageQuery { Agent = key, Reviewed = true, Reviewer = "rita" }));
        Assert.Equal((85.7, false, "rita"), (row.ReviewedScore, row.ReviewedFlagged, row.ReviewedBy));
        Assert.Empty(await triage.ListAsync(new TriageQuery { Agent = key, Reviewer = "someone-else" }));
        Assert.Same(facetsBefore, await triage.FacetsAsync()); // the filter lists are kept for a minute…
        Assert.Contains("rita", (await triage.FacetsAsync(fresh: true)).Reviewers); // …unless asked fresh

        var dashboards = new DashboardStore(fx.Db);
        var since = DateTimeOffset.UtcNow.AddDays(-8);
        Assert.Equal(57.1, Assert.Single((await dashboards.AgentTrendsAsync(since, reviewed: false))[key]).Value);
        Assert.Equal(85.7, Assert.Single((await dashboards.AgentTrendsAsync(since, reviewed: true))[key]).Value);
        Assert.Equal(1.0, Assert.Single((await dashboards.QueueFlagRatesAsync(since, reviewed: false))[key]).Value);
        Assert.Equal(0.0, Assert.Single((await dashboards.QueueFlagRatesAsync(since, reviewed: true))[key]).Value);
    }

    [Fact]
    public async Task Search_ShouldFindCallsByAChinesePhraseAndSentiment_OnThisDialect()
    {
        var (id, key, _) = await SeedAsync();
        var triage = new TriageStore(fx.Db);
        foreach (var phrase in new[] { "退货服务", "退货", "投诉你们的" })
            Assert.Equal(id, Assert.Single(await triage.ListAsync(new TriageQuery { Agent = key, Text = phrase })).Id);
        foreach (var phrase in new[] { "退款服务", "%", "_", "\"退货" })
            Assert.Empty(await triage.ListAsync(new TriageQuery { Agent = key, Text = phrase }));
        // The phrase search alone (no agent filter) still finds it among every other test's calls.
        Assert.Contains(await triage.ListAsync(new TriageQuery { Text = key + "号工单" }), r => r.Id == id);

        var row = Assert.Single(await triage.ListAsync(new TriageQuery { Agent = key, Sentiment = "unhappy" }));
        Assert.Equal((-0.7, "worse"), (row.SentimentEnd, row.SentimentTrend));
        Assert.Single(await triage.ListAsync(new TriageQuery { Agent = key, Sentiment = "worse", Sort = "sentiment" }));
        Assert.Contains("FORBIDDEN_PHRASE", (await triage.FacetsAsync()).FlagReasons);

        var library = new LibraryStore(fx.Db, new AuditStore(fx.Db, TimeProvider.System), TimeProvider.System);
        var example = Assert.Single(await library.SearchAsync(new LibraryQuery { Agent = key, Items = ["APOLOGY"], Text = "退货服务" }));
        Assert.Equal(-0.7, example.SentimentEnd);
        Assert.Empty(await library.SearchAsync(new LibraryQuery { Agent = key, Items = [] }));
        Assert.Empty(await library.SearchAsync(new LibraryQuery { Agent = key, Text = "退款服务" }));
        Assert.NotEmpty(await library.SearchAsync(new LibraryQuery { Agent = key, Sentiment = "unhappy", Sort = "sentiment" }));
        Assert.Equal(-0.7, Assert.Single((await new DashboardStore(fx.Db).SentimentTrendAsync(DateTimeOffset.UtcNow.AddDays(-8))).End).Value, 3);
    }

    private async Task<(long Id, string Key, IReadOnlyDictionary<string, long> Findings)> SeedAsync()
    {
        var calls = new CallStore(fx.Db, TimeProvider.System);
        var key = "desk-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await calls.RegisterAsync(new NewCall
        {
            CallKey = key, ContentSha256 = key.PadRight(64, '0'), SizeBytes = 1, SourcePath = "/x.wav", Agent = key, Queue = key,
            StartedAt = DateTimeOffset.UtcNow,
        })).Id;
        await fx.Db.InTransactionAsync(async (c, tx) =>
        {
            await new UtteranceStore(fx.Db).ReplaceAsync(c, tx, id, [
                new Utterance { Speaker = "agent", Start = 0, End = 2, Text = "您好,请问有什么可以帮您?" },
                new Utterance { Speaker = "customer", Start = 2.5, End = 6, Text = $"我要投诉你们的退货服务,{key}号工单" },
                new Utterance { Speaker = "agent", Start = 6.5, End = 8, Text = "这个不归我们管。" },
            ]);
            return 0;
        });
        var ev = new Evidence { Utterance = 1, Speaker = "customer", Start = 2.5, End = 6, Text = "我要投诉你们的退货服务" };
        var scores = new ScoreStore(fx.Db, TimeProvider.System);
        var result = new ScoreResult
        {
            RubricVersion = "t", Score = 57.1, Flagged = true, FlagReasons = ["FORBIDDEN_PHRASE", "SCORE_BELOW_70", "NEGATIVE_END"],
            CustomerSentiment = new CustomerSentiment
            {
                Overall = -0.5, Start = -0.2, End = -0.7, Trend = CustomerSentiment.Trends.Worse,
                Turns = [new TurnSentiment { Utterance = 1, Start = 2.5, End = 6, Score = -0.7 }],
            },
            Findings = [
                new Finding { Item = "GREETING", Result = "pass", Severity = "major", Confidence = 0.95, Evidence = [ev with { Utterance = 0, Speaker = "agent" }] },
                new Finding { Item = "APOLOGY", Result = "fail", Severity = "major", Confidence = 0.85, Evidence = [ev] },
                new Finding { Item = "FORBIDDEN_PHRASE", Result = "fail", Severity = "critical", Confidence = 0.95, Evidence = [ev with { Utterance = 2, Speaker = "agent" }] },
                new Finding { Item = "CLOSING", Result = "fail", Severity = "minor", Confidence = 0.5, NeedsListening = true },
                new Finding { Item = "THANKS", Result = "na", Severity = "minor", Confidence = 1 },
                new Finding { Item = "NEGATIVE_END", Result = "fire", Severity = "signal", Confidence = 0.9, Evidence = [ev] },
            ],
        };
        var scoreId = await scores.SaveAsync(id, result);
        // The scorer's own formula gives the automatic score stored above.
        Assert.Equal(57.1, ReviewedScore.Compute(Rubric, await scores.ListFindingsAsync(scoreId), new Dictionary<long, string>()).Score);
        return (id, key, (await scores.ListFindingsAsync(scoreId)).ToDictionary(f => f.Item, f => f.Id));
    }
}
