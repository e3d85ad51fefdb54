using System.Text.Json;
using HotlineQA.Common;

namespace HotlineQA.Classification;

/// <summary>One labelled agent utterance (training, validation, real-turn or reviewer-feedback example).</summary>
public sealed record LabelledUtterance(string Label, string Text, string? PreviousCustomerText = null, string? NextAgentText = null, string Source = "")
{
    public UtteranceContext Context => new(Text, PreviousCustomerText, NextAgentText);
}

/// <summary>Reads the training formats of docs/classifier.md and splits them deterministically.</summary>
public static class TrainingData
{
    /// <summary>Validation split: one example in five, chosen by a hash of the normalized text (duplicates stay together).</summary>
    public static bool IsValidation(string text) => StableHash(TextNormalizer.Normalize(text)) % 5 == 0;

    /// <summary>Real STC-3 turns: half of the dialogues (by a hash of the dialogue id) is held out as the real-turns
    /// evaluation, the other half may be trained on; all turns of one dialogue stay on one side.</summary>
    public static bool IsRealHoldoutDialogue(string dialogueId) => StableHash("real:" + dialogueId) % 2 == 0;

    /// <summary>The STC-3 dialogue id of a real turn (<c>Source</c> = <c>stc3:id:turn</c>), else null.</summary>
    public static string? DialogueOf(LabelledUtterance u) =>
        u.Source.StartsWith("stc3:", StringComparison.Ordinal) && u.Source.Split(':') is { Length: 3 } p ? p[1] : null;

    public static uint StableHash(string s)
    {
        // FNV-1a over UTF-16 code units: stable across runs and platforms, unlike string.GetHashCode.
        uint h = 2166136261;
        foreach (var c in s) { h ^= c; h *= 16777619; }
        return h;
    }

    /// <summary>TSV: <c>label⇥text[⇥previous customer turn⇥next agent turn]</c>; <c>#</c> starts a comment line.</summary>
    public static List<LabelledUtterance> ReadTsv(TextReader reader, string sourceName)
    {
        var list = new List<LabelledUtterance>();
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cols = line.Split('\t');
            if (cols.Length < 2 || cols[1].Trim().Length == 0)
                throw new BadInputException($"{sourceName}:{lineNo}: expected 'label<TAB>text[<TAB>previous<TAB>next]'");
            var label = CheckLabel(cols[0].Trim(), sourceName, lineNo);
            list.Add(new LabelledUtterance(label, cols[1].Trim(), Col(cols, 2), Col(cols, 3), sourceName));
        }
        return list;
    }

    /// <summary>
    /// Reviewer feedback: a <c>.jsonl</c> file, or a folder of them; one JSON object per line with <c>text</c>,
    /// <c>label</c> and optional <c>previousCustomerText</c>, <c>nextAgentText</c> (see docs/classifier.md).
    /// </summary>
    public static List<LabelledUtterance> ReadFeedback(string path)
    {
        IEnumerable<string> files;
        if (Directory.Exists(path)) files = Directory.GetFiles(path, "*.jsonl").Order(StringComparer.Ordinal);
        else if (File.Exists(path)) files = [path];
        else throw new BadInputException($"{path}: feedback file or folder not found");
        var list = new List<LabelledUtterance>();
        foreach (var file in files)
        {
            var lineNo = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNo++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                FeedbackRow? row;
                try { row = JsonSerializer.Deserialize<FeedbackRow>(line, HotlineJson.Options); }
                catch (JsonException e) { throw new BadInputException($"{file}:{lineNo}: not a JSON object ({e.Message.Split('.')[0]})"); }
                if (row is null || string.IsNullOrWhiteSpace(row.Text))
                    throw new BadInputException($"{file}:{lineNo}: 'text' is missing or empty");
                var label = CheckLabel(row.Label ?? "", file, lineNo);
                list.Add(new LabelledUtterance(label, row.Text.Trim(), row.PreviousCustomerText, row.NextAgentText, "feedback"));
            }
        }
        return list;
    }

    /// <summary>The hand-written examples that ship with the code (embedded <c>Data/handwritten.tsv</c> and
    /// <c>Data/handwritten-phone.tsv</c>).</summary>
    public static List<LabelledUtterance> Handwritten() => [.. ReadEmbeddedTsv("handwritten.tsv"), .. ReadEmbeddedTsv("handwritten-phone.tsv")];

    internal static List<LabelledUtterance> ReadEmbeddedTsv(string name)
    {
        using var stream = typeof(TrainingData).Assembly.GetManifestResourceStream("HotlineQA.Classification.Data." + name)
            ?? throw new InvalidOperationException($"embedded training file {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return ReadTsv(reader, name);
    }

    private static string? Col(string[] cols, int i) => cols.Length > i && cols[i].Trim() is { Length: > 0 } v && v != "-" ? v : null;

    private static string CheckLabel(string label, string source, int lineNo) =>
        UtteranceLabels.All.Contains(label)
            ? label
            : throw new BadInputException($"{source}:{lineNo}: unknown label '{label}' (expected one of {string.Join(", ", UtteranceLabels.All)})");

    private sealed record FeedbackRow(string? Text, string? Label, string? PreviousCustomerText, string? NextAgentText);
}
