using Dapper;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using static HotlineQA.IntegrationTests.Storage.StorageTestData;

namespace HotlineQA.IntegrationTests.Storage;

public sealed class StoreTestsSqlite(SqliteDatabaseFixture fx) : StoreTests(fx), IClassFixture<SqliteDatabaseFixture>;

public sealed class StoreTestsPostgres(PostgresDatabaseFixture fx) : StoreTests(fx), IClassFixture<PostgresDatabaseFixture>;

/// <summary>Every store against a real database; the two subclasses run the same tests on SQLite and PostgreSQL.</summary>
public abstract class StoreTests(DatabaseFixture fx)
{
    private readonly TestClock _clock = new();
    private HotlineDatabase Db => fx.Db;
    private CallStore Calls => new(Db, _clock);
    private UtteranceStore Utterances => new(Db);
    private ScoreStore Scores => new(Db, _clock);
    private AuditStore Audit => new(Db, _clock);
    private ReviewStore Reviews => new(Db, Audit, _clock);

    [Fact]
    public async Task RegisterAsync_ShouldStoreEveryField_WhenCallIsNew()
    {
        var started = new DateTimeOffset(2026, 11, 20, 8, 30, 15, 250, TimeSpan.FromHours(8));
        var nc = Call("roundtrip", startedAt: started) with { SidecarPath = "/inbox/roundtrip.transcript.json", CustomerNumber = "13800000000" };

        var (id, created) = await Calls.RegisterAsync(nc);
        var row = await Calls.GetAsync(id);

        Assert.True(created);
        Assert.NotNull(row);
        Assert.Equal(CallStatus.Pending, row.Status);
        Assert.Equal(nc.CallKey, row.CallKey);
        Assert.Equal(nc.ContentSha256, row.ContentSha256);
        Assert.Equal(nc.SizeBytes, row.SizeBytes);
        Assert.Equal(nc.SourcePath, row.SourcePath);
        Assert.Equal(nc.SidecarPath, row.SidecarPath);
        Assert.Equal("A001", row.Agent);
        Assert.Equal("billing", row.Queue);
        Assert.Equal("13800000000", row.CustomerNumber);
        Assert.Equal(started, row.StartedAt);
        Assert.Equal(TimeSpan.Zero, row.StartedAt!.Value.Offset);
        Assert.Equal(_clock.GetUtcNow(), row.CreatedAt);
        Assert.Equal(0, row.Attempts);
        Assert.Null(row.Error);
    }

    [Fact]
    public async Task RegisterAsync_ShouldReturnTheExistingCall_WhenTheSameContentIsRegisteredAgain()
    {
        var nc = Call("dup");
        var (id1, created1) = await Calls.RegisterAsync(nc);
        var (id2, created2) = await Calls.RegisterAsync(nc with { CallKey = "dup-copy", SourcePath = "/elsewhere/dup-copy.wav" });

        Assert.True(created1);
        Assert.False(created2);
        Assert.Equal(id1, id2);
        Assert.Equal("dup", (await Calls.GetByHashAsync(nc.ContentSha256))!.CallKey);
    }

    [Fact]
    public async Task RegisterAsync_ShouldCreateOneCall_WhenSeveralProcessesRegisterTheSameContentAtOnce()
    {
        var nc = Call("race-register");
        // Separate HotlineDatabase instances: separate connections, as separate `ingest` processes would have.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            new CallStore(new HotlineDatabase(Db.Dialect, Db.ConnectionString), _clock).RegisterAsync(nc))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task AuditWriteAsync_ShouldListNewestFirstPerSubject_WhenWrittenOutsideATransaction()
    {
        var subject = "user:" + Guid.NewGuid().ToString("N")[..8];
        await Audit.WriteAsync("admin", "user.create", subject, "role=reviewer");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await Audit.WriteAsync("admin", "user.role", subject, "role=admin");

        var rows = await Audit.ListAsync(subject);

        Assert.Equal(["user.role", "user.create"], rows.Select(r => r.Action));
        Assert.Equal("role=reviewer", rows[1].Detail);
        Assert.Equal(_clock.GetUtcNow(), rows[0].At);
        Assert.Equal("admin", rows[0].Actor);
    }

    [Fact]
    public async Task AdvanceAsync_ShouldLetExactlyOneRunAdvance_WhenSeveralRunsOfAStepFinishAtOnce()
    {
        var (id, _) = await Calls.RegisterAsync(Call("race"));
        Assert.NotNull(await Calls.BeginStepAsync(id, [CallStatus.Pending, CallStatus.Audio], CallStatus.Audio));

        var advanced = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            Db.InTransactionAsync((c, tx) => Calls.AdvanceAsync(c, tx, id, [CallStatus.Pending, CallStatus.Audio], CallStatus.Transcribing)))));

        Assert.Single(advanced, a => a);
        var row = (await Calls.GetAsync(id))!;
        Assert.Equal(CallStatus.Transcribing, row.Status);
        Assert.Equal(0, row.Attempts);
        // A late run of the finished step starts nothing and writes nothing.
        Assert.Null(await Calls.BeginStepAsync(id, [CallStatus.Pending, CallStatus.Audio], CallStatus.Audio));
        Assert.False(await Db.InTransactionAsync((c, tx) => Calls.AdvanceAsync(c, tx, id, [CallStatus.Pending, CallStatus.Audio], CallStatus.Transcribing)));
    }

    [Fact]
    public async Task PickUpUnqueuedAsync_ShouldHandEachNewCallToOnePickerOnce_WhenSeveralPickAtOnce()
    {
        var ids = new List<long>();
        for (var i = 0; i < 30; i++) ids.Add((await Calls.RegisterAsync(Call($"pick-{i}"))).Id);
        var (failed, _) = await Calls.RegisterAsync(Call("pick-failed"));
        await Calls.MarkFailedAsync(failed, "bad");
        var handed = new System.Collections.Concurrent.ConcurrentBag<long>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Calls.PickUpUnqueuedAsync(7, (id, status) =>
        {
            Assert.Equal(CallStatus.Pending, status);
            handed.Add(id);
        }))));
        while (await Calls.PickUpUnqueuedAsync(7, (id, _) => handed.Add(id)) > 0) { }

        Assert.Equal(ids.Order(), handed.Where(ids.Contains).Order());
        Assert.DoesNotContain(failed, handed);
        Assert.All(ids, id => Assert.NotNull(Calls.GetAsync(id).Result!.QueuedAt));
    }

    [Fact]
    public async Task ListUnfinishedAsync_ShouldListUnfinishedCalls_WhenNotDeferred()
    {
        var (fresh, _) = await Calls.RegisterAsync(Call("rec-fresh"));
        var (deferred, _) = await Calls.RegisterAsync(Call("rec-deferred"));
        var (failed, _) = await Calls.RegisterAsync(Call("rec-failed"));
        await Calls.DeferAsync(deferred, _clock.GetUtcNow() + TimeSpan.FromHours(1), "waits");
        await Calls.MarkFailedAsync(failed, "bad");

        var now = await Calls.ListUnfinishedAsync(10_000);
        _clock.Advance(TimeSpan.FromHours(2));
        var later = await Calls.ListUnfinishedAsync(10_000);

        Assert.Contains(now, r => r.Id == fresh && r.Status == CallStatus.Pending);
        Assert.DoesNotContain(now, r => r.Id == deferred || r.Id == failed);
        Assert.Contains(later, r => r.Id == deferred);
    }

    [Fact]
    public async Task MarkFailedAsync_ShouldKeepEarlierOutputs_WhenALaterStepFails()
    {
        var (id, _) = await Calls.RegisterAsync(Call("keep"));
        await Utterances.ReplaceAsync(id, Utterances(3));

        await Calls.MarkFailedAsync(id, "the rubric engine is not built yet");

        var row = await Calls.GetAsync(id);
        Assert.Equal(CallStatus.Failed, row!.Status);
        Assert.Equal("the rubric engine is not built yet", row.Error);
        Assert.Equal(3, (await Utterances.ListAsync(id)).Count);
    }

    [Fact]
    public async Task ReplaceAsync_ShouldLeaveExactlyTheNewUtterances_WhenRunTwice()
    {
        var (id, _) = await Calls.RegisterAsync(Call("utt"));
        await Utterances.ReplaceAsync(id, Utterances(5));
        await Utterances.ReplaceAsync(id, Utterances(4));
        await Utterances.ReplaceAsync(id, Utterances(4));

        var rows = await Utterances.ListAsync(id);
        Assert.Equal([0, 1, 2, 3], rows.Select(r => r.Idx));
        Assert.Equal("您好,这里是客服热线。", rows[0].Text);
        Assert.Equal("agent", rows[0].Speaker);
        Assert.Null(rows[0].Confidence);
        Assert.Equal(0.9, rows[1].Confidence);
        Assert.Equal(6.0, rows[3].StartSec);
        Assert.Equal(7.5, rows[3].EndSec);
    }

    [Fact]
    public async Task InTransactionAsync_ShouldWriteNothing_WhenTheStepFailsHalfway()
    {
        var (id, _) = await Calls.RegisterAsync(Call("atomic"));
        await Utterances.ReplaceAsync(id, Utterances(2));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Db.InTransactionAsync(async (c, tx) =>
        {
            await Utterances.ReplaceAsync(c, tx, id, Utterances(7));
            throw new InvalidOperationException("crash in the middle of the step");
        }));

        Assert.Equal(2, (await Utterances.ListAsync(id)).Count);
    }

    [Fact]
    public async Task SaveAsync_ShouldKeepOneScoreAndStableFindingIds_WhenTheCallIsScoredAgain()
    {
        var (id, _) = await Calls.RegisterAsync(Call("score"));
        var first = await Scores.SaveAsync(id, Score(70, true, ("GREETING", Results.Pass), ("APOLOGY", Results.Fail), ("ESCALATION_RISK", Results.Fire)));
        var findings1 = await Scores.ListFindingsAsync(first);
        var apology = findings1.Single(f => f.Item == "APOLOGY");
        await Reviews.AddVerdictAsync(apology.Id, "lead", Verdicts.Overturn, "sincere enough");

        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Scores.SaveAsync(id, Score(85, false, ("GREETING", Results.Pass), ("APOLOGY", Results.Pass)));

        Assert.Equal(first, second);
        var score = await Scores.GetCurrentAsync(id);
        Assert.Equal(85, score!.Score);
        Assert.False(score.Flagged);
        Assert.Empty(score.FlagReasonList);
        Assert.Equal(_clock.GetUtcNow(), score.CreatedAt);
        Assert.Single(await Scores.ListForCallAsync(id));
        var findings2 = await Scores.ListFindingsAsync(second);
        Assert.Equal(["APOLOGY", "GREETING"], findings2.Select(f => f.Item).Order());
        Assert.Equal(apology.Id, findings2.Single(f => f.Item == "APOLOGY").Id);
        Assert.Equal(Results.Pass, findings2.Single(f => f.Item == "APOLOGY").Result);
        Assert.Single(await Reviews.ListForFindingAsync(apology.Id));
    }

    [Fact]
    public async Task SaveAsync_ShouldStoreFindingsWithEvidence_WhenScored()
    {
        var (id, _) = await Calls.RegisterAsync(Call("evidence"));
        var scoreId = await Scores.SaveAsync(id, Score(60, true, ("APOLOGY", Results.Fail)));

        var f = Assert.Single(await Scores.ListFindingsAsync(scoreId));
        Assert.Equal("fail", f.Result);
        Assert.Equal("major", f.Severity);
        Assert.Equal(0.8, f.Confidence);
        Assert.Equal("perfunctory", f.Reason);
        Assert.True(f.NeedsListening);
        var ev = Assert.Single(f.EvidenceList);
        Assert.Equal("您好", ev.Text);
        Assert.Equal(["ESCALATION_RISK"], (await Scores.GetCurrentAsync(id))!.FlagReasonList);
        Assert.True((await Scores.GetCurrentAsync(id))!.IsComplaint);
    }

    [Fact]
    public async Task SaveAsync_ShouldKeepBothScores_WhenTheRubricVersionChanges()
    {
        var (id, _) = await Calls.RegisterAsync(Call("versions"));
        await Scores.SaveAsync(id, Score(70, false, ("GREETING", Results.Pass)));
        _clock.Advance(TimeSpan.FromDays(1));
        await Scores.SaveAsync(id, Score(50, true, ("GREETING", Results.Fail)) with { RubricVersion = "2026.3" });

        Assert.Equal(2, (await Scores.ListForCallAsync(id)).Count);
        Assert.Equal("2026.3", (await Scores.GetCurrentAsync(id))!.RubricVersion);
    }

    [Fact]
    public async Task SaveAsync_ShouldRoundTripCustomerSentiment_WhenTheScoreCarriesIt()
    {
        var (id, _) = await Calls.RegisterAsync(Call("sentiment"));
        var sentiment = new CustomerSentiment
        {
            Overall = -0.42, Start = -0.1, End = -0.7, Trend = CustomerSentiment.Trends.Worse,
            Turns = [new TurnSentiment { Utterance = 1, Start = 3.4, End = 9.8, Score = -0.1 }, new TurnSentiment { Utterance = 5, Start = 40, End = 44, Score = -0.7 }],
        };
        await Scores.SaveAsync(id, Score(70, false, ("GREETING", Results.Pass)) with { CustomerSentiment = sentiment });

        var stored = (await Scores.GetCurrentAsync(id))!.Sentiment!;
        Assert.Equal(sentiment with { Turns = [] }, stored with { Turns = [] });
        Assert.Equal(sentiment.Turns, stored.Turns);

        await Scores.SaveAsync(id, Score(70, false, ("GREETING", Results.Pass)));
        Assert.Null((await Scores.GetCurrentAsync(id))!.Sentiment);
    }

    [Fact]
    public async Task ListAsync_ShouldPutFlaggedAndLowScoresFirst_WhenFilteredByAgent()
    {
        var agent = "agent-" + Guid.NewGuid().ToString("N")[..8];
        var (good, _) = await Calls.RegisterAsync(Call("l-good", agent));
        var (bad, _) = await Calls.RegisterAsync(Call("l-bad", agent));
        var (worse, _) = await Calls.RegisterAsync(Call("l-worse", agent));
        var (unscored, _) = await Calls.RegisterAsync(Call("l-unscored", agent));
        await Calls.RegisterAsync(Call("l-other-agent"));
        await Scores.SaveAsync(good, Score(95, false));
        await Scores.SaveAsync(bad, Score(70, true));
        await Scores.SaveAsync(worse, Score(40, false));

        var all = await Calls.ListAsync(new CallQuery { Agent = agent });
        var flagged = await Calls.ListAsync(new CallQuery { Agent = agent, Flagged = true });
        var low = await Calls.ListAsync(new CallQuery { Agent = agent, MaxScore = 50 });
        var pending = await Calls.ListAsync(new CallQuery { Agent = agent, Status = CallStatus.Pending, Limit = 2 });

        Assert.Equal([bad, worse, good, unscored], all.Select(c => c.Id));
        Assert.Equal(70, all[0].Score);
        Assert.True(all[0].Flagged);
        Assert.Null(all[3].ScoreId);
        Assert.Equal([bad], flagged.Select(c => c.Id));
        Assert.Equal([worse], low.Select(c => c.Id));
        Assert.Equal(2, pending.Count);
    }

    [Fact]
    public async Task ListAsync_ShouldOrderUnscoredCallsNewestFirstAlikeOnBothDatabases_WhenSomeHaveNoStartTime()
    {
        var queue = "o-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = _clock.GetUtcNow();
        var (old, _) = await Calls.RegisterAsync(Call("o-old", queue: queue, startedAt: t0.AddDays(-2)));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var (noStart, _) = await Calls.RegisterAsync(Call("o-nostart", queue: queue));
        var (recent, _) = await Calls.RegisterAsync(Call("o-recent", queue: queue, startedAt: t0.AddHours(1)));

        var rows = await Calls.ListAsync(new CallQuery { Queue = queue });

        Assert.Equal([recent, noStart, old], rows.Select(r => r.Id));
    }

    [Fact]
    public async Task ListAsync_ShouldFilterByStartTime_WhenARangeIsGiven()
    {
        var queue = "q-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var (inside, _) = await Calls.RegisterAsync(Call("t-in", queue: queue, startedAt: t0.AddHours(5)));
        await Calls.RegisterAsync(Call("t-before", queue: queue, startedAt: t0.AddHours(-1)));
        await Calls.RegisterAsync(Call("t-after", queue: queue, startedAt: t0.AddDays(1)));

        var rows = await Calls.ListAsync(new CallQuery { Queue = queue, StartedFrom = t0, StartedTo = t0.AddDays(1) });

        Assert.Equal([inside], rows.Select(r => r.Id));
    }

    [Fact]
    public async Task AddVerdictAsync_ShouldKeepHistoryAndAudit_WhenAFindingIsReviewedTwice()
    {
        var (id, _) = await Calls.RegisterAsync(Call("review"));
        var scoreId = await Scores.SaveAsync(id, Score(60, true, ("APOLOGY", Results.Fail), ("GREETING", Results.Pass)));
        var finding = (await Scores.ListFindingsAsync(scoreId)).Single(f => f.Item == "APOLOGY");

        await Reviews.AddVerdictAsync(finding.Id, "alice", Verdicts.Confirm, null);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await Reviews.AddVerdictAsync(finding.Id, "bob", Verdicts.Overturn, "customer was satisfied");

        var history = await Reviews.ListForFindingAsync(finding.Id);
        Assert.Equal(["bob", "alice"], history.Select(r => r.Reviewer));
        var current = Assert.Single(await Reviews.ListCurrentForScoreAsync(scoreId));
        Assert.Equal(Verdicts.Overturn, current.Verdict);
        Assert.Equal("customer was satisfied", current.Note);
        var audit = await Audit.ListAsync($"finding:{finding.Id}");
        Assert.Equal(["verdict.overturn", "verdict.confirm"], audit.Select(a => a.Action));
        await Assert.ThrowsAsync<ArgumentException>(() => Reviews.AddVerdictAsync(finding.Id, "bob", "maybe", null));
    }

    [Fact]
    public async Task AddDispositionAsync_ShouldListNewestFirst_WhenACallIsDisposedTwice()
    {
        var (id, _) = await Calls.RegisterAsync(Call("dispo"));
        await Reviews.AddDispositionAsync(id, "coaching", "alice", "apology training");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await Reviews.AddDispositionAsync(id, "closed", "alice", null);

        var rows = await Reviews.ListDispositionsAsync(id);
        Assert.Equal(["closed", "coaching"], rows.Select(r => r.Disposition));
        Assert.Equal(2, (await Audit.ListAsync($"call:{id}")).Count);
    }

    [Fact]
    public async Task UpsertAsync_ShouldUpdateHashAndRole_WhenTheUserExists()
    {
        var users = new UserStore(Db, _clock);
        var name = "user-" + Guid.NewGuid().ToString("N")[..8];
        var id1 = await users.UpsertAsync(name, "hash1", "reviewer");
        var id2 = await users.UpsertAsync(name, "hash2", "admin");

        Assert.Equal(id1, id2);
        var u = await users.GetByNameAsync(name);
        Assert.Equal("hash2", u!.PasswordHash);
        Assert.Equal("admin", u.Role);
        Assert.Contains(await users.ListAsync(), x => x.Name == name);
        Assert.True(await users.DeleteAsync(name));
        Assert.Null(await users.GetByNameAsync(name));
    }

    [Fact]
    public async Task DeleteCall_ShouldCascadeToEverythingBelowIt_WhenACallRowIsRemoved()
    {
        var (id, _) = await Calls.RegisterAsync(Call("cascade"));
        await Utterances.ReplaceAsync(id, Utterances(2));
        var scoreId = await Scores.SaveAsync(id, Score(60, true, ("APOLOGY", Results.Fail)));
        await Reviews.AddVerdictAsync((await Scores.ListFindingsAsync(scoreId))[0].Id, "alice", Verdicts.Confirm, null);

        await using var c = await Db.OpenAsync();
        await c.ExecuteAsync("DELETE FROM calls WHERE id = @id", new { id });

        Assert.Empty(await Utterances.ListAsync(id));
        Assert.Null(await Scores.GetCurrentAsync(id));
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM findings WHERE score_id = @scoreId", new { scoreId }));
    }
}
