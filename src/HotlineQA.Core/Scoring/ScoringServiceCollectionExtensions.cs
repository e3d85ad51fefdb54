using HotlineQA.Classification;
using HotlineQA.Scoring.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotlineQA.Scoring;

public static class ScoringServiceCollectionExtensions
{
    public static IServiceCollection AddScoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScoringOptions>().Bind(configuration.GetSection(ScoringOptions.Section));
        services.AddSingleton(sp => LoadRubric(sp.GetRequiredService<IOptions<ScoringOptions>>().Value));
        // The classifier and the customer model are optional: without them the rules alone decide.
        services.AddSingleton(sp => CreateScorer(sp, sp.GetRequiredService<Rubric>()));
        return services;
    }

    /// <summary>A scorer for <paramref name="rubric"/> with whatever models are registered: the utterance classifier and
    /// the customer model are optional (without them the rules alone decide and no customerSentiment is given).</summary>
    public static RubricScorer CreateScorer(IServiceProvider sp, Rubric rubric) => new(rubric, sp.GetService<IUtteranceClassifier>(),
        sp.GetService<ICustomerModel>() ?? (sp.GetService<CustomerStateModel>() is { } m ? new CustomerStateReader(m, sp.GetService<CustomerEndingModel>(), sp.GetService<CallComplaintModel>()) : null));

    public static Rubric LoadRubric(ScoringOptions options)
    {
        var pinyin = PinyinTable.Load(string.IsNullOrWhiteSpace(options.UnihanPath) ? null : options.UnihanPath);
        return string.IsNullOrWhiteSpace(options.RubricPath)
            ? RubricLoader.LoadDefault(pinyin)
            : RubricLoader.LoadFile(options.RubricPath, pinyin);
    }
}
