using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.Transcription;

public static class TranscriptionServiceCollectionExtensions
{
    public static IServiceCollection AddTranscription(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WhisperOptions>().Bind(configuration.GetSection(WhisperOptions.Section))
            .Validate(o => o.Temperature is >= 0 and <= 1 && o.TemperatureIncrement is >= 0 and <= 1, "Whisper:Temperature and Whisper:TemperatureIncrement must be in 0..1")
            .Validate(o => o.Threads >= 0, "Whisper:Threads must be 0 or more")
            .Validate(o => o.Processors >= 0, "Whisper:Processors must be 0 (= Pipeline:TranscribeWorkers) or more")
            .ValidateOnStart();
        services.AddSingleton<WhisperTranscriber>();
        return services;
    }
}
