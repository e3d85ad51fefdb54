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

    [Theory]
    [InlineData(1, 2, 2)]   // this machine's default: one transcribe worker, 2 cores → both channels at once, 1 thread each
    [InlineData(2, 2, 2)]   // two workers on 2 cores: one processor each
    [InlineData(0, 2, 2)]   // no heavy workers configured (enqueue-only host, the CLI) → as one worker
    [InlineData(1, 1, 1)]   // one core: one processor
    [InlineData(3, 2, 3)]   // more workers than cores: still one processor per worker
    [InlineData(4, 16, 8)]  // many cores: two per worker
    public void DefaultProcessors_ShouldGiveTwoPerWorkerAtMostOnePerCoreAndAtLeastOnePerWorker_WhenProcessorsIsZero(int workers, int cores, int expected) =>
        Assert.Equal(expected, WhisperTranscriber.DefaultProcessors(workers, cores));

    [Fact]
    public void AddTranscription_ShouldRejectBadOptions_WhenValidated()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Whisper:Threads"] = "-1" }).Build();
        using var sp = new ServiceCollection().AddTranscription(config).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<WhisperOptions>>().Value);
    }
}
