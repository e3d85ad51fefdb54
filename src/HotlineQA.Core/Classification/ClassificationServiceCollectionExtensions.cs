using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotlineQA.Classification;

public static class ClassificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ML.NET utterance classifier (one shared, thread-safe instance) and <see cref="ClassificationOptions"/>
    /// from section <c>Classification</c>. The model loads on first use: the built-in one, or <c>ModelPath</c>.
    /// </summary>
    public static IServiceCollection AddClassification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClassificationOptions>()
            .Bind(configuration.GetSection(ClassificationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<MlNetUtteranceClassifier>(sp => MlNetUtteranceClassifier.Load(sp.GetRequiredService<IOptions<ClassificationOptions>>().Value.ModelPath));
        services.AddSingleton<IUtteranceClassifier>(sp => sp.GetRequiredService<MlNetUtteranceClassifier>());
        return services;
    }
}
