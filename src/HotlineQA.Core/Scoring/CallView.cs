using HotlineQA.Audio;
using HotlineQA.Scoring.Text;
using HotlineQA.Transcription;

namespace HotlineQA.Scoring;

/// <summary>A matched condition in one utterance, with the span (folded text) and the match's confidence.</summary>
public readonly record struct MatchHit(int Utterance, int Start, int End, double Confidence);

/// <summary>
/// One call prepared for the rules: roles resolved, text folded once, every rubric phrase located in one scan,
/// silences and overlaps from the audio timeline when given or else from the utterance times.
/// </summary>
internal sealed class CallView
{
    private readonly Rubric _rubric;
    private readonly List<Hit>?[] _pieceHits;
    private readonly List<MatchHit>?[] _matcherCache;

    public Transcript Transcript { get; }
    public IReadOnlyList<Utterance> Utterances { get; }
    /// <summary>Position in the transcript's own list of each utterance here (sorted by start).</summary>
    public int[] OriginalIndex { get; }
    public string[] Roles { get; }
    public FoldedText[] Folded { get; }
    public bool IsMono { get; }
    public bool RolesInferred { get; }
    public double Duration { get; }
    public bool FromTimeline { get; }
    public IReadOnlyList<Silence> Silences { get; }
    public IReadOnlyList<Overlap> Overlaps { get; }
    public double TimingConfidence { get; }
    public int[] AgentTurns { get; }
    public int[] CustomerTurns { get; }

    public CallView(Rubric rubric, Transcript transcript, AudioAnalysis? timeline)
    {
        _rubric = rubric;
        Transcript = transcript;
        OriginalIndex = Enumerable.Range(0, transcript.Utterances.Count).OrderBy(i => transcript.Utterances[i].Start).ToArray();
        Utterances = OriginalIndex.Select(i => transcript.Utterances[i]).ToList();
        Folded = Utterances.Select(u => rubric.Folder.Fold(u.Text)).ToArray();
        _pieceHits = rubric.Index.Scan(Folded);
        _matcherCache = new List<MatchHit>?[rubric.MatcherCount];
        IsMono = transcript.Channels == 1 || timeline?.Channels == 1;
        Roles = Utterances.Select(u => u.Speaker).ToArray();
        if (Roles.Any(r => r == Speakers.Unknown))
        {
            RolesInferred = true;
            IsMono = true;
            InferRoles();
        }
        AgentTurns = Enumerable.Range(0, Roles.Length).Where(i => Roles[i] == Speakers.Agent).ToArray();
        CustomerTurns = Enumerable.Range(0, Roles.Length).Where(i => Roles[i] == Speakers.Customer).ToArray();
        Duration = Math.Max(timeline?.DurationSec ?? 0, transcript.EffectiveDuration);
        if (timeline is not null && (timeline.Speech.Count > 0 || timeline.Silences.Count > 0))
        {
            FromTimeline = true;
            Silences = timeline.Silences;
            Overlaps = timeline.Overlaps;
            TimingConfidence = rubric.Settings.TimelineConfidence;
        }
        else
        {
            Silences = ComputeSilences();
            Overlaps = ComputeOverlaps();
            TimingConfidence = rubric.Settings.TranscriptTimingConfidence;
        }
    }

    /// <summary>How much a finding resting on who-said-what is discounted on this call.</summary>
    public double RoleFactor => RolesInferred ? _rubric.Settings.InferredRoleFactor : IsMono ? _rubric.Settings.MonoFactor : 1.0;

    public bool IsAgent(int i) => Roles[i] == Speakers.Agent;
    public bool IsCustomer(int i) => Roles[i] == Speakers.Customer;

    /// <summary>Every utterance where the condition holds, each with its best hit.</summary>
    public IReadOnlyList<MatchHit> Find(Matcher? m)
    {
        if (m is null) return [];
        if (_matcherCache[m.Id] is { } cached) return cached;
        var result = new List<MatchHit>();
        var allowed = Allowed(m);
        foreach (var u in allowed)
        {
            MatchHit? best = null;
            if (m.Any.Count > 0)
                foreach (var p in m.Any)
                    if (FirstHit(p, u) is { } h && (best is null || h.Start < best.Value.Start || (h.Start == best.Value.Start && h.Confidence > best.Value.Confidence)))
                        best = h;
            if (m.All.Count > 0)
            {
                double conf = 1;
                MatchHit? first = null;
                var ok = true;
                foreach (var p in m.All)
                {
                    if (FirstHit(p, u) is not { } h) { ok = false; break; }
                    conf = Math.Min(conf, h.Confidence);
                    if (first is null || h.Start < first.Value.Start) first = h;
                }
                if (!ok) continue;
                if (m.Any.Count == 0) best = first!.Value with { Confidence = conf };
                else if (best is { } b) best = b with { Confidence = Math.Min(b.Confidence, conf) };
            }
            if (best is null) continue;
            if (m.None.Any(p => FirstHit(p, u) is not null)) continue;
            result.Add(best.Value);
        }
        if (result.Count < m.MinCount) result.Clear();
        return _matcherCache[m.Id] = result;
    }

    /// <summary>Whether the condition holds in utterance <paramref name="u"/> (ignoring its speaker/time scope).</summary>
    public MatchHit? FindIn(Matcher? m, int u)
    {
        if (m is null) return null;
        MatchHit? best = null;
        foreach (var p in m.Any)
            if (FirstHit(p, u) is { } h && (best is null || h.Start < best.Value.Start)) best = h;
        if (m.All.Count > 0)
        {
            foreach (var p in m.All)
            {
                if (FirstHit(p, u) is not { } h) return null;
                best ??= h;
            }
        }
        if (best is null) return null;
        return m.None.Any(p => FirstHit(p, u) is not null) ? null : best;
    }

    private IEnumerable<int> Allowed(Matcher m)
    {
        IEnumerable<int> turns = m.Speaker switch
        {
            "agent" => AgentTurns,
            "customer" => CustomerTurns,
            _ => Enumerable.Range(0, Utterances.Count),
        };
        if (m.FirstSec is { } fs)
        {
            var t0 = Utterances.Count == 0 ? 0 : turns.Select(i => Utterances[i].Start).DefaultIfEmpty(0).Min();
            turns = turns.Where(i => Utterances[i].Start <= t0 + fs);
        }
        if (m.LastTurns is { } lt) turns = turns.TakeLast(lt);
        return turns;
    }

    private MatchHit? FirstHit(Pattern p, int u)
    {
        if (p.Regex is { } re)
        {
            var mt = re.Match(Folded[u].Chars);
            return mt.Success ? new MatchHit(u, mt.Index, mt.Index + mt.Length, _rubric.Settings.RegexConfidence) : null;
        }
        MatchHit? best = null;
        foreach (var h0 in SegmentHits(p.Segments[0], u))
        {
            var end = h0.End;
            var conf = h0.Confidence;
            var ok = true;
            for (var s = 1; s < p.Segments.Count && ok; s++)
            {
                Hit? next = null;
                foreach (var h in SegmentHits(p.Segments[s], u))
                    if (h.Start >= end && h.Start - end <= p.Gaps[s - 1] && (next is null || h.Start < next.Value.Start)) next = h;
                if (next is { } n) { end = n.End; conf = Math.Min(conf, n.Confidence); }
                else ok = false;
            }
            if (!ok) continue;
            if (best is null || h0.Start < best.Value.Start || (h0.Start == best.Value.Start && conf > best.Value.Confidence))
                best = new MatchHit(u, h0.Start, end, conf);
        }
        return best;
    }

    private IEnumerable<Hit> SegmentHits(int[] pieces, int u)
    {
        foreach (var piece in pieces)
        {
            var list = _pieceHits[piece];
            if (list is null) continue;
            foreach (var h in list) if (h.Utterance == u) yield return h;
        }
    }

    /// <summary>Mono with unknown speakers: the side that opens with the agent's greeting is the agent; turns alternate.</summary>
    private void InferRoles()
    {
        var opener = -1;
        for (var i = 0; i < Utterances.Count && opener < 0; i++)
            if (FindIn(_rubric.AgentOpening, i) is not null) opener = i;
        if (opener < 0) opener = 0;
        for (var i = 0; i < Roles.Length; i++)
            if (Roles[i] == Speakers.Unknown)
                Roles[i] = (i - opener) % 2 == 0 ? Speakers.Agent : Speakers.Customer;
    }

    private List<Silence> ComputeSilences()
    {
        var result = new List<Silence>();
        var t = 0.0;
        foreach (var u in Utterances)
        {
            if (u.Start > t) result.Add(new Silence(t, u.Start));
            t = Math.Max(t, u.End);
        }
        if (Duration > t) result.Add(new Silence(t, Duration));
        return result;
    }

    private List<Overlap> ComputeOverlaps()
    {
        var result = new List<Overlap>();
        if (IsMono) return result;
        for (var i = 0; i < Utterances.Count; i++)
        for (var j = 0; j < i; j++)
        {
            var a = Utterances[i];
            var b = Utterances[j];
            if (Roles[i] == Roles[j] || b.End <= a.Start) continue;
            // a starts while b is speaking: a's speaker interrupts.
            if (a.Start >= b.Start && a.Start < b.End)
                result.Add(new Overlap(a.Start, Math.Min(a.End, b.End), Roles[i]));
        }
        return result;
    }
}
