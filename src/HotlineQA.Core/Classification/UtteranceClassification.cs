namespace HotlineQA.Classification;

/// <summary>The five labels of CONTRACTS.md §3 <c>classify</c>.</summary>
public static class UtteranceLabels
{
    public const string PerfunctoryApology = "perfunctory_apology";
    public const string SincereApology = "sincere_apology";
    public const string BlameShifting = "blame_shifting";
    public const string Empathy = "empathy";
    public const string Neutral = "neutral";
    public static readonly IReadOnlyList<string> All = [PerfunctoryApology, SincereApology, BlameShifting, Empathy, Neutral];
}

/// <summary>One agent utterance with the turns around it (context features: is it followed by action or refusal?).</summary>
public sealed record UtteranceContext(string Text, string? PreviousCustomerText = null, string? NextAgentText = null);

public sealed record UtteranceClassification(string Text, string Label, double Probability, IReadOnlyDictionary<string, double> Probabilities);

/// <summary>The ML.NET utterance classifier, as the scorer sees it.</summary>
public interface IUtteranceClassifier
{
    UtteranceClassification Classify(UtteranceContext utterance);
}
