using System.Globalization;
using HotlineQA.Scoring;
using HotlineQA.Storage;

namespace HotlineQA.Review;

/// <summary>A score recomputed from the reviewers' current verdicts; <see cref="Complete"/> when every actionable
/// finding has one.</summary>
public sealed record ReviewedScore(double Score, bool Flagged, IReadOnlyList<string> FlagReasons, bool Complete)
{
    /// <summary>What asks a reviewer for a verdict: a failure, a fired signal, or anything the scorer was unsure of.</summary>
    public static bool IsActionable(FindingRow f) => f.Result is Results.Fail or Results.Fire || (f.NeedsListening && f.Result != Results.Na);

    /// <summary>
    /// The scorer's formula (RubricScorer) over the findings as the reviewers judged them: an overturned failure
    /// counts as a pass, an overturned pass as a failure, an overturned signal does not fire; a confirmed unsure
    /// failure or signal counts (unjudged unsure ones count as the scorer counted them: not at all).
    /// </summary>
    public static ReviewedScore Compute(Rubric rubric, IReadOnlyList<FindingRow> findings, IReadOnlyDictionary<long, string> verdicts)
    {
        var s = rubric.Settings;
        double passed = 0, total = 0;
        var critical = new List<string>();
        var signals = new List<string>();
        foreach (var f in findings)
        {
            var v = verdicts.GetValueOrDefault(f.Id);
            var counts = v switch { Verdicts.Confirm => true, Verdicts.Overturn => false, _ => !f.NeedsListening };
            if (f.Result == Results.Fire) { if (counts) signals.Add(f.Item); continue; }
            if (f.Result is not (Results.Pass or Results.Fail)) continue;
            var failed = f.Result == Results.Fail ? counts : v == Verdicts.Overturn;
            var w = rubric.Weights.GetValueOrDefault(f.Severity, 0);
            total += w;
            if (!failed) passed += w;
            else if (f.Severity == "critical") critical.Add(f.Item);
        }
        var score = total > 0 ? Math.Round(100 * passed / total, 1, MidpointRounding.AwayFromZero) : 100;
        if (critical.Count > 0) score = Math.Min(score, s.CriticalCap);
        var reasons = new List<string>(critical);
        if (score < s.FlagBelow) reasons.Add("SCORE_BELOW_" + s.FlagBelow.ToString(CultureInfo.InvariantCulture));
        reasons.AddRange(signals);
        var complete = findings.Where(IsActionable).All(f => verdicts.ContainsKey(f.Id));
        return new ReviewedScore(score, reasons.Count > 0, reasons, complete);
    }
}
