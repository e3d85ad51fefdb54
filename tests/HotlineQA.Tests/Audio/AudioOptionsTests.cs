using HotlineQA.Audio;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotlineQA.Tests.Audio;

public class AudioOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddAudio(config).BuildServiceProvider();
    }

    [Fact]
    public void AddAudio_ShouldBindSourceMappingAndVadSettings_WhenConfigured()
    {
        using var sp = Build(new()
        {
            ["Audio:Vad:Threshold"] = "0.6",
            ["Audio:MinSilenceSec"] = "2",
            ["Audio:Sources:recorder-b:Channels:0"] = "customer",
            ["Audio:Sources:recorder-b:Channels:1"] = "agent",
        });

        var o = sp.GetRequiredService<IOptions<AudioOptions>>().Value;

        Assert.Equal(0.6f, o.Vad.Threshold);
        Assert.Equal(0.45f, o.Vad.EffectiveNegThreshold, 3);
        Assert.Equal(2, o.MinSilenceSec);
        Assert.Equal(["customer", "agent"], o.Sources["RECORDER-B"].Channels);
        Assert.NotNull(sp.GetRequiredService<AudioAnalyzer>());
    }

    [Fact]
    public void AddAudio_ShouldRejectOptions_WhenNegThresholdIsNotBelowThreshold()
    {
        using var sp = Build(new() { ["Audio:Vad:Threshold"] = "0.5", ["Audio:Vad:NegThreshold"] = "0.7" });

        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<AudioOptions>>().Value);

        Assert.Contains("NegThreshold", e.Message);
    }

    [Fact]
    public void ResolveModelPath_ShouldUseConfiguredPath_WhenSet()
    {
        Assert.Equal(Path.GetFullPath("/models/vad.onnx"), AudioAnalyzer.ResolveModelPath(new AudioOptions { VadModelPath = "/models/vad.onnx" }));
    }
}
