using HotlineQA.Classification;
using HotlineQA.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.Tests.Scoring;

public class ScoringRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? extra = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        extra?.Invoke(services);
        return services.AddScoring(config).BuildServiceProvider();
    }

    [Fact]
    public void AddScoring_ShouldResolveRulesOnlyScorerWithDefaultRubric_WhenNothingIsConfigured()
    {
        using var sp = Build([]);
        var scorer = sp.GetRequiredService<RubricScorer>();
        Assert.Equal("2026.39", scorer.RubricVersion);
        Assert.False(scorer.UsesClassifier);
        Assert.False(scorer.UsesCustomerModel);
    }

    [Fact]
    public void AddScoring_ShouldUseTheCustomerModel_WhenAddClassificationRegistersIt()
    {
        // The wiring of the CLI, the pipeline and rescoring: every score then carries customerSentiment.
        var config = new ConfigurationBuilder().AddInMemoryCollection([]).Build();
        using var sp = new ServiceCollection().AddClassification(config).AddScoring(config).BuildServiceProvider();
        var scorer = sp.GetRequiredService<RubricScorer>();
        Assert.True(scorer.UsesClassifier);
        Assert.True(scorer.UsesCustomerModel);
        var rescorer = ScoringServiceCollectionExtensions.CreateScorer(sp, RubricLoader.LoadDefault());
        Assert.True(rescorer.UsesCustomerModel);
        var r = scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 我要查一下话费。", "a: 好的,感谢来电,再见。"));
        Assert.NotNull(r.CustomerSentiment);
        Assert.Equal(2 - 1, r.CustomerSentiment!.Turns.Single().Utterance);
        // ... and the ending model (rubric 2026.10): a customer who leaves with a sarcastic "行,你们真专业。" after arguing
        // over a baggage fee fires NEGATIVE_END through it; no phrase of the rule holds those words. (Until 2026.35 the
        // call here was batch-x's vaccine slot, "我今天白跑一趟…"; 白跑 is a phrase of the rule since.)
        var call = DevSet.Batch("x", "airline-excess-baggage-fee-agent-interrupts").Transcript;
        var end = scorer.Score(call).Findings.Single(f => f.Item == "NEGATIVE_END");
        Assert.Equal(("fire", "the customer model reads how the customer leaves as unhappy"), (end.Result, end.Reason));
        Assert.Equal(call.Utterances.Count - 1, end.Evidence.Single().Utterance);   // the call ends on the customer's words
        var withoutEnding = new RubricScorer(RubricLoader.LoadDefault(), sp.GetRequiredService<IUtteranceClassifier>(), new CustomerStateReader(CustomerStateModel.LoadDefault()));
        Assert.DoesNotContain(withoutEnding.Score(call).Findings, f => f.Item == "NEGATIVE_END");
    }

    [Fact]
    public void AddScoring_ShouldUseTheConfiguredRubricAndClassifier_WhenBothAreThere()
    {
        var path = Path.GetTempFileName();
        try
        {
            var yaml = RubricLoader.DefaultYaml()
                .Replace("version: \"2026.39\"", "version: \"2026.39-site\"", StringComparison.Ordinal);
            File.WriteAllText(path, yaml);
            using var sp = Build(new() { ["Scoring:RubricPath"] = path },
                s => s.AddSingleton<IUtteranceClassifier>(new NeutralClassifier()));
            var scorer = sp.GetRequiredService<RubricScorer>();
            Assert.Equal("2026.39-site", scorer.RubricVersion);
            Assert.True(scorer.UsesClassifier);
            Assert.Equal("2026.39-site", scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 查话费。")).RubricVersion);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Score_ShouldRecordEachRubricVersion_WhenTheSameCallIsRescoredUnderANewRubric()
    {
        var call = DevSet.Load().First(c => c.Name == "mobile-signal-complaint-overpromise").Transcript;
        var v1 = RubricLoader.LoadDefault();
        var yaml = RubricLoader.DefaultYaml()
            .Replace("version: \"2026.39\"", "version: \"2026.40\"", StringComparison.Ordinal)
            .Replace("weights: { critical: 0, major: 3, minor: 1 }", "weights: { critical: 0, major: 3, minor: 0 }", StringComparison.Ordinal);
        var v2 = RubricLoader.Parse(yaml, "v2.yaml");
        var first = new RubricScorer(v1).Score(call);
        var second = new RubricScorer(v2).Score(call);
        Assert.Equal(("2026.39", "2026.40"), (first.RubricVersion, second.RubricVersion));
        Assert.True(first.Score < 100);   // NO_OVERPROMISE (minor) fails under 2026.39
        Assert.Equal(100, second.Score);  // minor items weigh nothing under 2026.40
    }

    private sealed class NeutralClassifier : IUtteranceClassifier
    {
        public UtteranceClassification Classify(UtteranceContext u) =>
            new(u.Text, UtteranceLabels.Neutral, 1, UtteranceLabels.All.ToDictionary(l => l, l => l == UtteranceLabels.Neutral ? 1.0 : 0.0));
    }
}
