using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.Transcription;

public static class TranscriptionServiceCollectionExtensions
{
    public static IServiceCollection AddTranscription(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WhisperOptions>().Bind(configuration.GetSection(WhisperOptions.Section))
            .Validate(o => o.Temperatures.Length > 0 && o.Temperatures.All(t => t is >= 0 and <= 1), "Whisper:Temperatures must be values in 0..1")
            .Validate(o => o.Threads >= 0, "Whisper:Threads must be 0 or more")
            .ValidateOnStart();
        services.AddSingleton<WhisperTranscriber>();
        return services;
    }
}
