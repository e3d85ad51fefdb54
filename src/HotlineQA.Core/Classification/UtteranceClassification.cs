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

/// <summary>
/// A model's class probabilities as a read-only dictionary over its label array (shared by every prediction) and one
/// array of numbers: the scorer classifies every agent turn of a call, and a hash dictionary per turn was a visible
/// part of that cost. Lookups compare the few labels in order.
/// </summary>
internal sealed class LabelProbabilities(string[] labels, double[] values) : IReadOnlyDictionary<string, double>
{
    public double this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"no class '{key}'");
    public IEnumerable<string> Keys => labels;
    public IEnumerable<double> Values => values;
    public int Count => labels.Length;
    public bool ContainsKey(string key) => Array.IndexOf(labels, key) >= 0;

    public bool TryGetValue(string key, out double value)
    {
        for (var i = 0; i < labels.Length; i++)
            if (ReferenceEquals(labels[i], key) || string.Equals(labels[i], key, StringComparison.Ordinal)) { value = values[i]; return true; }
        value = 0;
        return false;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < labels.Length; i++) yield return new(labels[i], values[i]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The ML.NET utterance classifier, as the scorer sees it.</summary>
public interface IUtteranceClassifier
{
    UtteranceClassification Classify(UtteranceContext utterance);
}
