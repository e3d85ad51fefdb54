using HotlineQA.Classification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotlineQA.Tests.Classification;

public class ClassificationOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddClassification(config).BuildServiceProvider();
    }

    [Fact]
    public void AddClassification_ShouldRegisterBuiltInClassifier_WhenNoModelPathConfigured()
    {
        using var sp = Build([]);
        var classifier = sp.GetRequiredService<IUtteranceClassifier>();
        Assert.Same(classifier, sp.GetRequiredService<IUtteranceClassifier>());
        Assert.Equal(UtteranceLabels.Neutral, classifier.Classify(new UtteranceContext("您好,请问有什么可以帮您")).Label);
        Assert.Equal(0.6, sp.GetRequiredService<IOptions<ClassificationOptions>>().Value.PerfunctoryThreshold);
    }

    [Fact]
    public void AddClassification_ShouldRejectOptions_WhenAcousticFeaturesTurnedOn()
    {
        using var sp = Build(new() { ["Classification:AcousticFeatures"] = "true" });
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<ClassificationOptions>>().Value);
        Assert.Contains("AcousticFeatures", e.Message);
    }

    [Fact]
    public void AddClassification_ShouldRejectOptions_WhenThresholdOutOfRange()
    {
        using var sp = Build(new() { ["Classification:PerfunctoryThreshold"] = "1.5" });
        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<ClassificationOptions>>().Value);
    }
}
