using System.Text.Json;
using HotlineQA.Common;

namespace HotlineQA.Classification;

/// <summary>
/// Real helpdesk turns from NTCIR-14 STC-3 (Weibo customer service), labelled by hand for this project.
/// The repository holds only the labels (<c>Data/stc3-real-labels.tsv</c>: dialogue id, turn index, label); the text
/// is read from the shared STC-3 file at run time, so no third-party posts (which may hold personal data) are copied.
/// </summary>
public static class Stc3RealTurns
{
    public static List<LabelledUtterance> Load(string stc3JsonPath)
    {
        if (!File.Exists(stc3JsonPath)) throw new BadInputException($"{stc3JsonPath}: STC-3 dialogue file not found");
        Dictionary<string, JsonElement> dialogues;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(stc3JsonPath));
            dialogues = doc.RootElement.EnumerateArray().ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("turns").Clone());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new BadInputException($"{stc3JsonPath}: not an STC-3 dialogue file ({e.GetType().Name})");
        }

        var list = new List<LabelledUtterance>();
        foreach (var (id, turn, label) in Labels())
        {
            if (!dialogues.TryGetValue(id, out var turns) || turn >= turns.GetArrayLength())
                throw new BadInputException($"{stc3JsonPath}: dialogue {id} turn {turn} named in stc3-real-labels.tsv is not in the file");
            list.Add(new LabelledUtterance(label, TurnText(turns[turn]),
                turn > 0 ? TurnText(turns[turn - 1]) : null,
                turn + 2 < turns.GetArrayLength() ? TurnText(turns[turn + 2]) : null,
                $"stc3:{id}:{turn}"));
        }
        return list;
    }

    internal static string TurnText(JsonElement turn) =>
        string.Join(" ", turn.GetProperty("utterances").EnumerateArray().Select(u => u.GetString() ?? ""));

    internal static IEnumerable<(string Id, int Turn, string Label)> Labels()
    {
        using var stream = typeof(Stc3RealTurns).Assembly.GetManifestResourceStream("HotlineQA.Classification.Data.stc3-real-labels.tsv")
            ?? throw new InvalidOperationException("embedded stc3-real-labels.tsv is missing from the build");
        using var reader = new StreamReader(stream);
        var result = new List<(string, int, string)>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var c = line.Split('\t');
            result.Add((c[0], int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture), c[2]));
        }
        return result;
    }
}
