using System.Text.Json;
using HotlineQA.Classification;
using HotlineQA.Common;
using HotlineQA.Transcription;

namespace HotlineQA.Scoring;

/// <summary>
/// The ending model's phone-register material: every labelled call of some folders (<c>name.transcript.json</c> +
/// <c>name.expected.json</c>, the dev set's format) as a <see cref="LabelledEnding"/> — the customer's last words, read by
/// the customer-state model as the scorer reads the call (roles inferred on mono calls), labelled negative when the
/// call's labels fire NEGATIVE_END.
/// </summary>
public static class LabelledEndings
{
    public const string Signal = "NEGATIVE_END";

    /// <summary>The endings of every labelled call in <paramref name="folders"/>: folders in the ordinal order of their names
    /// (not of their paths, so a checkout anywhere trains the same model), files in ordinal order.</summary>
    public static List<LabelledEnding> Read(IEnumerable<string> folders, Rubric rubric, CustomerStateModel customer)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var list = new List<LabelledEnding>();
        foreach (var folder in folders.OrderBy(f => Path.GetFileName(Path.TrimEndingDirectorySeparator(f)), StringComparer.Ordinal).ThenBy(f => f, StringComparer.Ordinal))
        {
            if (!Directory.Exists(folder)) throw new BadInputException($"{folder}: no such folder of labelled calls");
            foreach (var file in Directory.GetFiles(folder, "*.transcript.json").Order(StringComparer.Ordinal))
            {
                var name = Transcript.BaseName(file);
                var expected = Path.Combine(folder, name + ".expected.json");
                if (!File.Exists(expected)) continue;
                bool negative;
                try
                {
                    using var doc = JsonDocument.Parse(File.ReadAllText(expected));
                    negative = doc.RootElement.TryGetProperty("signals", out var signals) && signals.ValueKind == JsonValueKind.Array
                        && signals.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.String && s.GetString() == Signal);
                }
                catch (JsonException e) { throw new BadInputException($"{expected}: not a labels file ({e.Message})", e); }
                var utterances = RubricScorer.ModelUtterancesOf(rubric, Transcript.Load(file));
                if (CustomerEndingModel.Example(utterances, customer.Predict(utterances), negative, 1f, Path.GetFileName(folder)) is { } e2) list.Add(e2);
            }
        }
        return list;
    }
}
