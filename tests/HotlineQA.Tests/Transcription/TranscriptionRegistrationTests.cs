using HotlineQA.Audio;
using HotlineQA.Transcription;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotlineQA.Tests.Transcription;

public sealed class TranscriptionRegistrationTests
{
    [Fact]
    public void AddTranscription_ShouldBindWhisperOptionsAndShareTheAudioStep_WhenResolved()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hotlineqa-no-model-" + Guid.NewGuid().ToString("N"));
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Whisper:ModelPath"] = folder,
            ["Whisper:Language"] = "auto",
            ["Whisper:Threads"] = "2",
        }).Build();
        using var sp = new ServiceCollection().AddAudio(config).AddTranscription(config).BuildServiceProvider();

        var t = sp.GetRequiredService<WhisperTranscriber>();

        Assert.Same(t, sp.GetRequiredService<WhisperTranscriber>());
        Assert.Equal(folder, t.ModelFolder);
        Assert.Contains(folder, t.Unavailable);
        var o = sp.GetRequiredService<IOptions<WhisperOptions>>().Value;
        Assert.Equal(("auto", 2), (o.Language, o.Threads));
    }

    [Fact]
    public void AddTranscription_ShouldRejectBadOptions_WhenValidated()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Whisper:Threads"] = "-1" }).Build();
        using var sp = new ServiceCollection().AddTranscription(config).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<WhisperOptions>>().Value);
    }
}
