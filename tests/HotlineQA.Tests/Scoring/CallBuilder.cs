using HotlineQA.Transcription;

namespace HotlineQA.Tests.Scoring;

/// <summary>
/// Writes focused transcripts: "a: text" (agent), "c: text" (customer), "u: text" (unknown speaker),
/// "a@12.5: text" (starts at 12.5 s), "a@12.5-20: text" (explicit end). Without times an utterance lasts
/// its length / 4.5 s and starts 0.4 s after the previous one ends.
/// </summary>
internal static class CallBuilder
{
    public static Transcript Call(params string[] lines) => Build(2, lines);

    public static Transcript Mono(params string[] lines) => Build(1, lines);

    public static Transcript Build(int channels, string[] lines, double? duration = null)
    {
        var list = new List<Utterance>();
        var t = 0.5;
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':');
            var head = line[..colon];
            var text = line[(colon + 1)..].Trim();
            var speaker = head[0] switch { 'a' => Speakers.Agent, 'c' => Speakers.Customer, _ => Speakers.Unknown };
            var start = t;
            double? end = null;
            if (head.Contains('@'))
            {
                var times = head[(head.IndexOf('@') + 1)..].Split('-');
                start = double.Parse(times[0], System.Globalization.CultureInfo.InvariantCulture);
                if (times.Length > 1) end = double.Parse(times[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            var e = end ?? start + Math.Max(0.6, text.Length / 4.5);
            list.Add(new Utterance { Speaker = speaker, Start = start, End = e, Text = text });
            t = Math.Max(t, e) + 0.4;
        }
        return new Transcript { CallId = "focused", Language = "zh", Channels = channels, DurationSec = duration ?? t + 0.5, Utterances = list };
    }
}
