using HotlineQA.Classification;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using HotlineQA.Transcription;
using static HotlineQA.IntegrationTests.Storage.StorageTestData;

namespace HotlineQA.IntegrationTests.Classification;

public sealed class ReviewerFeedbackTestsSqlite(SqliteDatabaseFixture fx) : ReviewerFeedbackTests(fx), IClassFixture<SqliteDatabaseFixture>;

public sealed class ReviewerFeedbackTestsPostgres(PostgresDatabaseFixture fx) : ReviewerFeedbackTests(fx), IClassFixture<PostgresDatabaseFixture>;

/// <summary>Reviewer verdicts become labelled classifier examples, with the turns around them as context.</summary>
public abstract class ReviewerFeedbackTests(DatabaseFixture fx)
{
    private readonly TestClock _clock = new();

    [Fact]
    public async Task CollectAsync_ShouldLabelEvidenceTurnsByLatestVerdict_WhenReviewersJudgedClassifierFindings()
    {
        var calls = new CallStore(fx.Db, _clock);
        var utterances = new UtteranceStore(fx.Db);
        var scores = new ScoreStore(fx.Db, _clock);
        var reviews = new ReviewStore(fx.Db, new AuditStore(fx.Db, _clock), _clock);
        var (callId, _) = await calls.RegisterAsync(Call("feedback"));
        await utterances.ReplaceAsync(callId, [
            new Utterance { Speaker = Speakers.Agent, Start = 0, End = 2, Text = "您好,请问有什么可以帮您?" },
            new Utterance { Speaker = Speakers.Customer, Start = 2, End = 5, Text = "宽带又断了,三天没人来修!" },
            new Utterance { Speaker = Speakers.Agent, Start = 5, End = 8, Text = "不好意思,这是公司规定,只能排队。" },
            new Utterance { Speaker = Speakers.Agent, Start = 8, End = 10, Text = "系统又出问题了,不关我们的事。" },
        ]);
        Evidence Turn(int i, string text) => new() { Utterance = i, Speaker = Speakers.Agent, Start = i, End = i + 1, Text = text };
        await scores.SaveAsync(callId, new ScoreResult
        {
            RubricVersion = "2026.2", Score = 40, Flagged = true,
            Findings =
            [
                new Finding { Item = "PERFUNCTORY_APOLOGY", Result = Results.Fire, Severity = "major", Confidence = 0.9, Evidence = [Turn(2, "不好意思,这是公司规定,只能排队。")] },
                new Finding { Item = "BLAME_SHIFTING", Result = Results.Fail, Severity = "major", Confidence = 0.8, Evidence = [Turn(3, "系统又出问题了,不关我们的事。")] },
                new Finding { Item = "GREETING", Result = Results.Pass, Severity = "major", Confidence = 0.99, Evidence = [Turn(0, "您好,请问有什么可以帮您?")] },
            ],
        });
        var score = (await scores.ListForCallAsync(callId))[0];
        var findings = await scores.ListFindingsAsync(score.Id);
        long Id(string item) => findings.Single(f => f.Item == item).Id;
        await reviews.AddVerdictAsync(Id("PERFUNCTORY_APOLOGY"), "qa1", Verdicts.Confirm, null);
        await reviews.AddVerdictAsync(Id("BLAME_SHIFTING"), "qa1", Verdicts.Confirm, null);
        await reviews.AddVerdictAsync(Id("BLAME_SHIFTING"), "qa2", Verdicts.Overturn, "stating a fault, not blaming");
        await reviews.AddVerdictAsync(Id("GREETING"), "qa1", Verdicts.Confirm, null);

        var examples = await new ReviewerFeedback(fx.Db, utterances).CollectAsync();

        Assert.Equal(2, examples.Count);
        var perfunctory = examples.Single(e => e.Label == UtteranceLabels.PerfunctoryApology);
        Assert.Equal("不好意思,这是公司规定,只能排队。", perfunctory.Text);
        Assert.Equal("宽带又断了,三天没人来修!", perfunctory.PreviousCustomerText);
        Assert.Equal("系统又出问题了,不关我们的事。", perfunctory.NextAgentText);
        var overturned = examples.Single(e => e.Text.StartsWith("系统", StringComparison.Ordinal));
        Assert.Equal(UtteranceLabels.Neutral, overturned.Label);

        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "fb", "reviews.jsonl");
        ReviewerFeedback.WriteJsonl(examples, path);
        var readBack = TrainingData.ReadFeedback(path);
        Assert.Equal(examples.Select(e => (e.Label, e.Text)), readBack.Select(e => (e.Label, e.Text)));
    }
}
