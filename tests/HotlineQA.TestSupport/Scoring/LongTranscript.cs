using HotlineQA.Transcription;

namespace HotlineQA.TestSupport;

/// <summary>Very long transcripts for the scoring-is-linear test and bench: real calls chained end to end, times shifted.</summary>
public static class LongTranscript
{
    public static Transcript Chain(IReadOnlyList<Transcript> calls, int utterances)
    {
        var stereo = calls.Where(c => c.Channels == 2 && c.Utterances.Count > 0).ToList();
        var list = new List<Utterance>(utterances + 64);
        var offset = 0.0;
        for (var k = 0; list.Count < utterances; k++)
        {
            var t = stereo[k % stereo.Count];
            foreach (var u in t.Utterances)
            {
                if (list.Count == utterances) break;
                list.Add(u with { Start = u.Start + offset, End = u.End + offset });
            }
            offset += t.EffectiveDuration + 1;
        }
        return new Transcript { CallId = $"long-{utterances}", Channels = 2, DurationSec = offset, Utterances = list };
    }
}
