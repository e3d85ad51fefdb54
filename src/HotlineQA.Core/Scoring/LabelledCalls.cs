using System.Text.Json;
using HotlineQA.Classification;
using HotlineQA.Common;
using HotlineQA.Transcription;

namespace HotlineQA.Scoring;

/// <summary>
/// The project's labelled calls as the customer models learn from them: every call of some folders
/// (<c>name.transcript.json</c> + <c>name.expected.json</c>, the dev set's format), read as the scorer reads it (roles
/// inferred on mono calls), with its labels.
/// </summary>
public static class LabelledCalls
{
    /// <summary>One labelled call: the folder's name, the call's name, the labels file's root (a detached copy) and the
    /// utterances as the scorer's models read them.</summary>
    public sealed record Call(string Source, string Name, JsonElement Labels, IReadOnlyList<Utterance> Utterances);

    /// <summary>The labelled calls of <paramref name="folders"/>: folders in the ordinal order of their names (not of their
    /// paths, so a checkout anywhere trains the same model), files in ordinal order; a transcript without labels is left out.</summary>
    public static IEnumerable<Call> Read(IEnumerable<string> folders, Rubric rubric)
    {
        ArgumentNullException.ThrowIfNull(folders);
        foreach (var folder in folders.OrderBy(f => Path.GetFileName(Path.TrimEndingDirectorySeparator(f)), StringComparer.Ordinal).ThenBy(f => f, StringComparer.Ordinal))
        {
            if (!Directory.Exists(folder)) throw new BadInputException($"{folder}: no such folder of labelled calls");
            foreach (var file in Directory.GetFiles(folder, "*.transcript.json").Order(StringComparer.Ordinal))
            {
                var name = Transcript.BaseName(file);
                var expected = Path.Combine(folder, name + ".expected.json");
                if (!File.Exists(expected)) continue;
                JsonElement labels;
                try
                {
                    using var doc = JsonDocument.Parse(File.ReadAllText(expected));
                    labels = doc.RootElement.Clone();
                }
                catch (JsonException e) { throw new BadInputException($"{expected}: not a labels file ({e.Message})", e); }
                yield return new Call(Path.GetFileName(folder), name, labels, RubricScorer.ModelUtterancesOf(rubric, Transcript.Load(file)));
            }
        }
    }
}

/// <summary>
/// The ending model's phone-register material: every labelled call (<see cref="LabelledCalls"/>) as a
/// <see cref="LabelledEnding"/> — the customer's last words, read by the customer-state model — labelled negative when the
/// call's labels fire NEGATIVE_END.
/// </summary>
public static class LabelledEndings
{
    public const string Signal = "NEGATIVE_END";

    /// <summary>The endings of every labelled call in <paramref name="folders"/>, in <see cref="LabelledCalls.Read"/>'s order.</summary>
    public static List<LabelledEnding> Read(IEnumerable<string> folders, Rubric rubric, CustomerStateModel customer)
    {
        var list = new List<LabelledEnding>();
        foreach (var c in LabelledCalls.Read(folders, rubric))
        {
            var negative = c.Labels.ValueKind == JsonValueKind.Object && c.Labels.TryGetProperty("signals", out var signals) && signals.ValueKind == JsonValueKind.Array
                && signals.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.String && s.GetString() == Signal);
            if (CustomerEndingModel.Example(c.Utterances, customer.Predict(c.Utterances), negative, 1f, c.Source) is { } e) list.Add(e);
        }
        return list;
    }
}

/// <summary>
/// The call-complaint model's material: every labelled call (<see cref="LabelledCalls"/>) as a
/// <see cref="LabelledComplaintCall"/> — the customer's words of the call and the call's <c>isComplaint</c> label.
/// </summary>
public static class LabelledComplaintCalls
{
    /// <summary>The labelled calls of <paramref name="folders"/>, in <see cref="LabelledCalls.Read"/>'s order; a labels file
    /// without a boolean <c>isComplaint</c> is refused with its folder.</summary>
    public static List<LabelledComplaintCall> Read(IEnumerable<string> folders, Rubric rubric) =>
        LabelledCalls.Read(folders, rubric).Select(c =>
            c.Labels.ValueKind == JsonValueKind.Object && c.Labels.TryGetProperty("isComplaint", out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? new LabelledComplaintCall(CallComplaintModel.Words(c.Utterances), v.GetBoolean(), c.Source)
                : throw new BadInputException($"{c.Source}/{c.Name}.expected.json: no boolean isComplaint")).ToList();
}
