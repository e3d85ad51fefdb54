using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotlineQA.Classification;

public static class ClassificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ML.NET utterance classifier and the customer models (one shared, thread-safe instance each) and <see cref="ClassificationOptions"/>
    /// from section <c>Classification</c>. Each model loads on first use: the built-in one, or <c>ModelPath</c> / <c>CustomerModelPath</c> / <c>EndingModelPath</c> / <c>ComplaintModelPath</c>.
    /// </summary>
    public static IServiceCollection AddClassification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClassificationOptions>()
            .Bind(configuration.GetSection(ClassificationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<MlNetUtteranceClassifier>(sp => MlNetUtteranceClassifier.Load(sp.GetRequiredService<IOptions<ClassificationOptions>>().Value.ModelPath));
        services.AddSingleton<IUtteranceClassifier>(sp => sp.GetRequiredService<MlNetUtteranceClassifier>());
        services.AddSingleton<CustomerStateModel>(sp => sp.GetRequiredService<IOptions<ClassificationOptions>>().Value.CustomerModelPath is { Length: > 0 } path
            ? CustomerStateModel.Load(path)
            : CustomerStateModel.LoadDefault());
        services.AddSingleton<CustomerEndingModel>(sp => sp.GetRequiredService<IOptions<ClassificationOptions>>().Value.EndingModelPath is { Length: > 0 } path
            ? CustomerEndingModel.Load(path)
            : CustomerEndingModel.LoadDefault());
        services.AddSingleton<CallComplaintModel>(sp => sp.GetRequiredService<IOptions<ClassificationOptions>>().Value.ComplaintModelPath is { Length: > 0 } path
            ? CallComplaintModel.Load(path)
            : CallComplaintModel.LoadDefault());
        return services;
    }
}
