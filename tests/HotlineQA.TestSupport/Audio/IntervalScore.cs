namespace HotlineQA.TestSupport.Audio;

/// <summary>Interval matching for detection scores: one-to-one pairs with intersection-over-union ≥ 0.5.</summary>
public static class IntervalScore
{
    public static (double Precision, double Recall, double F1) F1(IReadOnlyList<(double Start, double End)> truth, IReadOnlyList<(double Start, double End)> found)
    {
        var used = new bool[found.Count];
        var hits = 0;
        foreach (var t in truth)
        {
            for (var i = 0; i < found.Count; i++)
            {
                if (used[i] || Iou(t, found[i]) < 0.5) continue;
                used[i] = true;
                hits++;
                break;
            }
        }
        var p = found.Count == 0 ? (truth.Count == 0 ? 1 : 0) : (double)hits / found.Count;
        var r = truth.Count == 0 ? 1 : (double)hits / truth.Count;
        return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }

    public static double Iou((double Start, double End) a, (double Start, double End) b)
    {
        var inter = Math.Max(0, Math.Min(a.End, b.End) - Math.Max(a.Start, b.Start));
        var union = Math.Max(a.End, b.End) - Math.Min(a.Start, b.Start);
        return union <= 0 ? 0 : inter / union;
    }

    /// <summary>Gaps of at least <paramref name="minSec"/> in which no interval is active, over [0, duration].</summary>
    public static List<(double Start, double End)> Gaps(IEnumerable<(double Start, double End)> intervals, double duration, double minSec)
    {
        var gaps = new List<(double, double)>();
        var cursor = 0.0;
        foreach (var (s, e) in intervals.OrderBy(i => i.Start))
        {
            if (s - cursor >= minSec) gaps.Add((cursor, s));
            cursor = Math.Max(cursor, e);
        }
        if (duration - cursor >= minSec) gaps.Add((cursor, duration));
        return gaps;
    }
}
