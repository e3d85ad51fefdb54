using System.ComponentModel.DataAnnotations;

namespace HotlineQA.Classification;

/// <summary>Settings of the utterance classifier, bound to section <c>Classification</c>.</summary>
public sealed class ClassificationOptions : IValidatableObject
{
    public const string Section = "Classification";

    /// <summary>An ML.NET model zip written by <c>hotlineqa classifier train</c>; empty = the model built into HotlineQA.Core.</summary>
    public string? ModelPath { get; set; }

    /// <summary>A customer-state model zip written by <c>hotlineqa customer-model train --out</c>; empty = the built-in model.</summary>
    public string? CustomerModelPath { get; set; }

    /// <summary>An ending model zip written by <c>hotlineqa customer-model train-ending --out</c>; empty = the built-in model.</summary>
    public string? EndingModelPath { get; set; }

    /// <summary>A call-complaint model zip written by <c>hotlineqa customer-model train-complaint --out</c>; empty = the built-in model.</summary>
    public string? ComplaintModelPath { get; set; }

    /// <summary>The PERFUNCTORY_APOLOGY signal fires when P(perfunctory_apology) of an agent turn reaches this.</summary>
    [Range(0.0, 1.0)]
    public double PerfunctoryThreshold { get; set; } = 0.6;

    /// <summary>Where <c>classifier train --with-feedback</c> looks for reviewer feedback (*.jsonl) when given no path.</summary>
    public string FeedbackPath { get; set; } = "data/classifier-feedback";

    /// <summary>
    /// Opt-in acoustic features (pitch and loudness flatness of the agent's voice). Off by default and not built in this
    /// version: inferring an employee's emotion from the voice is restricted in some jurisdictions (EU AI Act,
    /// art. 5(1)(f), emotion recognition in the workplace). Turning it on fails validation instead of silently doing nothing.
    /// </summary>
    public bool AcousticFeatures { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AcousticFeatures)
            yield return new ValidationResult("Classification:AcousticFeatures is not available in this version (text-only classifier; see docs/classifier.md)", [nameof(AcousticFeatures)]);
    }
}
