using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotlineQA.Audio;

public static class AudioServiceCollectionExtensions
{
    public static IServiceCollection AddAudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AudioOptions>()
            .Bind(configuration.GetSection(AudioOptions.Section))
            .Validate(o => o.Vad.Threshold is > 0 and < 1, "Audio:Vad:Threshold must be between 0 and 1")
            .Validate(o => o.Vad.EffectiveNegThreshold < o.Vad.Threshold, "Audio:Vad:NegThreshold must be below Threshold")
            .Validate(o => o.Vad.MinSpeechMs >= 0 && o.Vad.MinSilenceMs >= 0 && o.Vad.SpeechPadMs >= 0, "Audio:Vad durations must not be negative")
            .Validate(o => o.StereoSpeakers.Count == 2 && o.StereoSpeakers.All(s => s.Length > 0), "Audio:StereoSpeakers must name two speakers")
            .Validate(o => o.MinSilenceSec >= 0 && o.MinOverlapSec >= 0, "Audio:MinSilenceSec and MinOverlapSec must not be negative")
            .ValidateOnStart();
        // One analyzer per process: it owns the single Silero session every call shares.
        services.AddSingleton(sp => new AudioAnalyzer(sp.GetRequiredService<IOptions<AudioOptions>>().Value));
        return services;
    }
}
