using HotlineQA.Pipeline;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using HotlineQA.Transcription;
using static HotlineQA.IntegrationTests.Storage.StorageTestData;

namespace HotlineQA.IntegrationTests.Pipeline;

public sealed class RescorerTestsSqlite(SqliteDatabaseFixture fx) : RescorerTests(fx), IClassFixture<SqliteDatabaseFixture>;

public sealed class RescorerTestsPostgres(PostgresDatabaseFixture fx) : RescorerTests(fx), IClassFixture<PostgresDatabaseFixture>;

/// <summary>Stored calls are rescored under a new rubric version from their stored transcript, old scores kept.</summary>
public abstract class RescorerTests(DatabaseFixture fx)
{
    private readonly TestClock _clock = new();

    [Fact]
    public async Task RescoreAsync_ShouldStoreAScorePerRubricVersion_WhenTheRubricChanges()
    {
        var calls = new CallStore(fx.Db, _clock);
        var utterances = new UtteranceStore(fx.Db);
        var scores = new ScoreStore(fx.Db, _clock);
        var transcript = Transcript.Load(TestPaths.Shared("data/transcripts-dev/mobile-signal-complaint-overpromise.transcript.json"));
        var (callId, _) = await calls.RegisterAsync(Call("rescore-" + Guid.NewGuid().ToString("N")));
        await utterances.ReplaceAsync(callId, transcript.Utterances);
        await fx.Db.InTransactionAsync(async (c, tx) =>
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE calls SET status = 'scored' WHERE id = @callId", new { callId }, tx));
        var call = (await calls.GetAsync(callId))!;
        Assert.Equal(CallStatus.Scored, call.Status);
        var rescorer = new Rescorer(fx.Db, scores);

        // Version 1: the built-in rubric, where the over-promise (minor) is the only fail.
        var v1 = await rescorer.RescoreAsync(new RubricScorer(), [call.CallKey]);
        // Version 2: QA staff make NO_OVERPROMISE major; the same stored transcript now scores lower.
        var yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src/HotlineQA.Core/Scoring/Rubrics/default.yaml"));
        var edited = yaml.Replace("version: \"2026.39\"", "version: \"2026.39-test\"", StringComparison.Ordinal);
        var i = edited.IndexOf("NO_OVERPROMISE", StringComparison.Ordinal);
        var sev = edited.IndexOf("severity: minor", i, StringComparison.Ordinal);
        edited = edited[..sev] + "severity: major" + edited[(sev + "severity: minor".Length)..];
        var v2 = await rescorer.RescoreAsync(new RubricScorer(RubricLoader.Parse(edited, "edited.yaml")), [call.CallKey]);
        var again = await rescorer.RescoreAsync(new RubricScorer(RubricLoader.Parse(edited, "edited.yaml")), [call.CallKey]);

        Assert.Equal(new RescoreSummary("2026.39", 1, 0), v1);
        Assert.Equal(("2026.39-test", 1), (v2.RubricVersion, v2.Rescored));
        Assert.Equal(1, again.Rescored);
        var stored = await scores.ListForCallAsync(callId);
        Assert.Equal(["2026.39", "2026.39-test"], stored.Select(s => s.RubricVersion).Order());
        var s1 = stored.Single(s => s.RubricVersion == "2026.39");
        var s2 = stored.Single(s => s.RubricVersion == "2026.39-test");
        Assert.True(s2.Score < s1.Score, $"a major over-promise must cost more: {s1.Score} vs {s2.Score}");
        Assert.Equal("fail", (await scores.ListFindingsAsync(s2.Id)).Single(f => f.Item == "NO_OVERPROMISE").Result);
        Assert.Equal(transcript.Utterances.Count, (await utterances.ListAsync(callId)).Count);
    }
}
