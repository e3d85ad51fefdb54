using System.Text.Json;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Transcription;

namespace HotlineQA.TestSupport;

/// <summary>The labelled dev transcripts (../shared/data/transcripts-dev) and the agreement of a scorer with them.</summary>
public static class DevSet
{
    public sealed record Labels(bool IsComplaint, bool Flagged, Dictionary<string, string> Items, List<string> Signals, string? Notes);

    public sealed record Call(string Name, Transcript Transcript, Labels Expected);

    public sealed record Agreement(int ItemsCompared, int ItemsAgreed, int Calls, int FlagsAgreed, int SignalsCompared, int SignalsAgreed, int ComplaintAgreed, IReadOnlyList<string> Mismatches)
    {
        public double ItemAgreement => ItemsCompared == 0 ? 0 : (double)ItemsAgreed / ItemsCompared;
        public double FlagAgreement => Calls == 0 ? 0 : (double)FlagsAgreed / Calls;
        public double SignalAgreement => SignalsCompared == 0 ? 0 : (double)SignalsAgreed / SignalsCompared;
        public string Summary =>
            $"per-item agreement {ItemsAgreed}/{ItemsCompared} = {ItemAgreement:P1}; flag agreement {FlagsAgreed}/{Calls} = {FlagAgreement:P1}; " +
            $"signal agreement {SignalsAgreed}/{SignalsCompared} = {SignalAgreement:P1}; complaint agreement {ComplaintAgreed}/{Calls}";
    }

    public static string Folder => TestPaths.Shared("data/transcripts-dev");

    /// <summary>Every labelled folder of the project in a fixed order: the dev set, the held-out set, then the fresh batches
    /// (tests/data/transcripts-batch-*) by name — what the benches cross-validate over.</summary>
    public static IReadOnlyList<string> LabelledFolders() =>
    [
        Folder, Path.Combine(TestPaths.RepoRoot, "tests/data/transcripts-heldout"),
        .. Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "tests/data"), "transcripts-batch-*").Order(StringComparer.Ordinal),
    ];

    public static IReadOnlyList<Call> Load() => Load(Folder);

    /// <summary>Any folder of labelled calls in the dev set's format (name.transcript.json + name.expected.json).</summary>
    public static IReadOnlyList<Call> Load(string folder)
    {
        var calls = new List<Call>();
        foreach (var file in Directory.GetFiles(folder, "*.transcript.json").Order(StringComparer.Ordinal))
        {
            var name = Transcript.BaseName(file);
            var labels = JsonSerializer.Deserialize<Labels>(File.ReadAllText(Path.Combine(folder, name + ".expected.json")), HotlineJson.Options)!;
            calls.Add(new Call(name, Transcript.Load(file), labels));
        }
        return calls;
    }

    /// <summary>One labelled call of a batch folder under tests/data (<paramref name="batch"/> = "ga" for transcripts-batch-ga).</summary>
    public static Call Batch(string batch, string name) =>
        Load(Path.Combine(TestPaths.RepoRoot, "tests", "data", "transcripts-batch-" + batch)).Single(c => c.Name == name);

    public static readonly string[] SignalIds = ["ESCALATION_RISK", "NEGATIVE_END", "PERFUNCTORY_APOLOGY"];

    public static Agreement Measure(RubricScorer scorer, IReadOnlyList<Call> calls)
    {
        int compared = 0, agreed = 0, flags = 0, sigCompared = 0, sigAgreed = 0, complaint = 0;
        var mismatches = new List<string>();
        foreach (var call in calls)
        {
            var result = scorer.Score(call.Transcript);
            foreach (var (item, expected) in call.Expected.Items)
            {
                if (expected == "any") continue;
                var actual = result.Findings.FirstOrDefault(f => f.Item == item)?.Result ?? "(missing)";
                compared++;
                if (actual == expected) agreed++;
                else mismatches.Add($"{call.Name}: {item} expected {expected}, got {actual} ({result.Findings.First(f => f.Item == item).Reason})");
            }
            if (result.Flagged == call.Expected.Flagged) flags++;
            else mismatches.Add($"{call.Name}: flagged expected {call.Expected.Flagged}, got {result.Flagged} ({string.Join(",", result.FlagReasons)}; score {result.Score})");
            if (result.IsComplaint == call.Expected.IsComplaint) complaint++;
            else mismatches.Add($"{call.Name}: isComplaint expected {call.Expected.IsComplaint}");
            foreach (var s in SignalIds)
            {
                sigCompared++;
                var fired = result.Findings.Any(f => f.Item == s && f.Result == "fire");
                if (fired == call.Expected.Signals.Contains(s)) sigAgreed++;
                else mismatches.Add($"{call.Name}: signal {s} expected {(fired ? "silent" : "fire")}");
            }
        }
        return new Agreement(compared, agreed, calls.Count, flags, sigCompared, sigAgreed, complaint, mismatches);
    }
}
