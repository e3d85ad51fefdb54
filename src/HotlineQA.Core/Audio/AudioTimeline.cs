namespace HotlineQA.Audio;

/// <summary>From speech segments of every speaker: silences (nobody speaking), overlaps with their interrupter, talk ratios.</summary>
internal static class AudioTimeline
{
    public static IReadOnlyList<Silence> Silences(IReadOnlyList<SpeechSegment> speech, double durationSec, double minSec)
    {
        var result = new List<Silence>();
        var cursor = 0.0;
        foreach (var s in speech.OrderBy(s => s.Start))
        {
            if (s.Start - cursor >= minSec) result.Add(new Silence(cursor, s.Start));
            cursor = Math.Max(cursor, s.End);
        }
        if (durationSec - cursor >= minSec) result.Add(new Silence(cursor, durationSec));
        return result;
    }

    /// <summary>Total time in which nobody speaks, however short each gap.</summary>
    public static double SilenceSec(IReadOnlyList<SpeechSegment> speech, double durationSec) =>
        Silences(speech, durationSec, 0).Sum(s => s.End - s.Start);

    /// <summary>
    /// Stretches where two or more speakers talk at once. The interrupter is the speaker whose current segment
    /// began last, i.e. who started talking while another was already speaking.
    /// </summary>
    public static IReadOnlyList<Overlap> Overlaps(IReadOnlyList<SpeechSegment> speech, double minSec)
    {
        var events = new List<(double T, int Kind, SpeechSegment S)>(speech.Count * 2);
        foreach (var s in speech)
        {
            events.Add((s.Start, 1, s));
            events.Add((s.End, -1, s));
        }
        // Ends before starts at the same instant: touching segments are not an overlap.
        events.Sort((a, b) => a.T != b.T ? a.T.CompareTo(b.T) : a.Kind.CompareTo(b.Kind));
        var active = new List<SpeechSegment>();
        var result = new List<Overlap>();
        double? start = null;
        string interrupter = "";
        foreach (var (t, kind, s) in events)
        {
            if (kind > 0) active.Add(s); else active.Remove(s);
            var talking = active.Select(a => a.Speaker).Distinct().Count();
            if (start is null && talking >= 2)
            {
                start = t;
                interrupter = active.MaxBy(a => a.Start)!.Speaker;
            }
            else if (start is { } st && talking < 2)
            {
                if (t - st >= minSec) result.Add(new Overlap(st, t, interrupter));
                start = null;
            }
        }
        return result;
    }

    public static IReadOnlyDictionary<string, double> TalkRatio(IReadOnlyList<SpeechSegment> speech, IEnumerable<string> speakers, double durationSec)
    {
        var ratios = new Dictionary<string, double>();
        foreach (var speaker in speakers.Distinct())
        {
            var talk = speech.Where(s => s.Speaker == speaker).Sum(s => s.End - s.Start);
            ratios[speaker] = durationSec > 0 ? Math.Round(talk / durationSec, 4) : 0;
        }
        return ratios;
    }
}
