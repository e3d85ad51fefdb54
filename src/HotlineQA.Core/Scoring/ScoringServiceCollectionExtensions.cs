using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.Scoring;

public static class ScoringServiceCollectionExtensions
{
    public static IServiceCollection AddScoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RubricScorer>();
        return services;
    }
}
