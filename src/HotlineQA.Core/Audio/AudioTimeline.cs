using System.Text.Json;
using HotlineQA.Common;

namespace HotlineQA.Audio;

/// <summary>
/// From speech segments of every speaker: silences (nobody speaking), overlaps with their interrupter, talk ratios.
/// The one definition of these facts: the audio step applies it to VAD segments, the scorer to utterance times when a
/// call has no audio timeline, and the stored timeline is read back through <see cref="Parse"/>.
/// </summary>
public static class AudioTimeline
{
    /// <summary>Shortest stretch of two speakers at once that counts as an overlap, unless configured otherwise (<c>Audio:MinOverlapSec</c>).</summary>
    public const double DefaultMinOverlapSec = 0.25;

    /// <summary>The audio step's stored timeline (<c>calls.audio_json</c>), or null when the step has not stored one.</summary>
    public static AudioAnalysis? Parse(string? audioJson) =>
        string.IsNullOrEmpty(audioJson) ? null : JsonSerializer.Deserialize<AudioAnalysis>(audioJson, HotlineJson.Options);

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
            var severalTalking = TwoOrMoreSpeakers(active);
            if (start is null && severalTalking)
            {
                start = t;
                interrupter = active.MaxBy(a => a.Start)!.Speaker;
            }
            else if (start is { } st && !severalTalking)
            {
                if (t - st >= minSec) result.Add(new Overlap(st, t, interrupter));
                start = null;
            }
        }
        return result;
    }

    /// <summary>Whether the active segments have at least two distinct speakers (no set allocated per event).</summary>
    private static bool TwoOrMoreSpeakers(List<SpeechSegment> active)
    {
        for (var i = 1; i < active.Count; i++)
            if (active[i].Speaker != active[0].Speaker) return true;
        return false;
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
