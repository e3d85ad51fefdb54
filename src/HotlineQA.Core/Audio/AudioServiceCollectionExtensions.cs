using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.Audio;

public static class AudioServiceCollectionExtensions
{
    public static IServiceCollection AddAudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<AudioAnalyzer>();
        return services;
    }
}
