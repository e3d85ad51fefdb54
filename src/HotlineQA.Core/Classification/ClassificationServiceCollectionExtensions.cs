using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.Classification;

public static class ClassificationServiceCollectionExtensions
{
    /// <summary>Registers the utterance classifier (built by the classifier issue; nothing yet).</summary>
    public static IServiceCollection AddClassification(this IServiceCollection services, IConfiguration configuration) => services;
}
