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
    private readonly PieceHits _pieceHits;
    // Per pattern, per segment: the pieces that have hits in this call (computed on first use); Dead = none in some segment.
    private readonly int[][]?[] _livePieces;
    private static readonly int[][] Dead = [];
    // Scratch for Find (one condition at a time): best hit per utterance, valid where _bestStamp == _findStamp.
    private readonly MatchHit[] _best;
    private readonly int[] _bestStamp;
    private readonly bool[] _allowed;
    private int _findStamp;
    private readonly List<MatchHit>?[] _matcherCache;
    private readonly int[] _seen;
    private int _stamp;
    // Per regex pattern, per utterance: its first match (Start ≥ 0), none (−1) or not run yet (−2).
    private Dictionary<Pattern, RegexHits>? _regexCache;
    // The utterances of one side (agent, customer, or all) joined by line breaks, for running a regex once over that side.
    private readonly (string Text, int[] Offsets, int[] Turns)?[] _joined = new (string, int[], int[])?[3];

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
        var count = transcript.Utterances.Count;
        OriginalIndex = TimeOrder(transcript.Utterances);
        var utterances = new Utterance[count];
        Folded = new FoldedText[count];
        Roles = new string[count];
        for (var i = 0; i < count; i++)
        {
            var u = utterances[i] = transcript.Utterances[OriginalIndex[i]];
            Folded[i] = rubric.Folder.Fold(u.Text);
            Roles[i] = u.Speaker;
        }
        Utterances = utterances;
        _pieceHits = rubric.Index.Scan(Folded);
        _matcherCache = new List<MatchHit>?[rubric.MatcherCount];
        _livePieces = new int[][]?[rubric.PatternCount];
        _seen = new int[Utterances.Count];
        _best = new MatchHit[Utterances.Count];
        _bestStamp = new int[Utterances.Count];
        _allowed = new bool[Utterances.Count];
        IsMono = transcript.Channels == 1 || timeline?.Channels == 1;
        if (Array.IndexOf(Roles, Speakers.Unknown) >= 0)
        {
            RolesInferred = true;
            IsMono = true;
            InferRoles();
        }
        AgentTurns = TurnsOf(Roles, Speakers.Agent);
        CustomerTurns = TurnsOf(Roles, Speakers.Customer);
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

    /// <summary>Positions of the utterances in start-time order (a stable sort: equal starts keep the transcript's
    /// order); transcripts almost always come sorted, and then nothing is sorted.</summary>
    private static int[] TimeOrder(IReadOnlyList<Utterance> utterances)
    {
        var order = new int[utterances.Count];
        var sorted = true;
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            if (i > 0 && utterances[i].Start.CompareTo(utterances[i - 1].Start) < 0) sorted = false;
        }
        return sorted ? order : order.OrderBy(i => utterances[i].Start).ToArray();
    }

    private static int[] TurnsOf(string[] roles, string role)
    {
        var n = 0;
        foreach (var r in roles) if (r == role) n++;
        var turns = new int[n];
        n = 0;
        for (var i = 0; i < roles.Length; i++) if (roles[i] == role) turns[n++] = i;
        return turns;
    }

    /// <summary>How much a finding resting on who-said-what is discounted on this call.</summary>
    public double RoleFactor => RolesInferred ? _rubric.Settings.InferredRoleFactor : IsMono ? _rubric.Settings.MonoFactor : 1.0;

    /// <summary>The last utterance that has ended by <paramref name="time"/> (−1 if none): a binary search on start times,
    /// then a short walk back over utterances still running at that time.</summary>
    public int LastEndedBy(double time)
    {
        var all = AllTurns;
        for (var k = UpperBound(all, time) - 1; k >= 0; k--)
            if (Utterances[all[k]].End <= time) return all[k];
        return -1;
    }

    /// <summary>As <see cref="LastEndedBy(double)"/>, among the given turns (ascending utterance indexes), from position
    /// <paramref name="count"/> back: the positions in <paramref name="turns"/> of up to that many such turns, oldest first.</summary>
    public List<int> LastEndedBy(double time, int[] turns, int count)
    {
        var result = new List<int>();
        var k = UpperBound(turns, time) - 1;
        for (; k >= 0 && result.Count < count; k--)
            if (Utterances[turns[k]].End <= time) result.Add(turns[k]);
        result.Reverse();
        return result;
    }

    /// <summary>The first of the given turns (ascending utterance indexes) that starts at or after <paramref name="time"/>: its position, or turns.Length.</summary>
    public int FirstStartingAt(int[] turns, double time)
    {
        int lo = 0, hi = turns.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (Utterances[turns[mid]].Start < time) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Position in <paramref name="turns"/> after the last turn starting at or before <paramref name="time"/>.</summary>
    private int UpperBound(int[] turns, double time)
    {
        int lo = 0, hi = turns.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (Utterances[turns[mid]].Start <= time) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private int[]? _allTurns;
    /// <summary>Every utterance index, ascending (for the time lookups).</summary>
    public int[] AllTurns => _allTurns ??= Enumerable.Range(0, Utterances.Count).ToArray();

    public bool IsAgent(int i) => Roles[i] == Speakers.Agent;
    public bool IsCustomer(int i) => Roles[i] == Speakers.Customer;

    /// <summary>Every utterance where the condition holds, each with its best hit.</summary>
    public IReadOnlyList<MatchHit> Find(Matcher? m)
    {
        if (m is null) return [];
        if (_matcherCache[m.Id] is { } cached) return cached;
        var allowed = Allowed(m);
        _findStamp++;
        // Driven by where the phrases were found, not by every utterance × every phrase.
        var drivers = m.Any.Count > 0 ? m.Any.Count : Math.Min(1, m.All.Count);
        for (var d = 0; d < drivers; d++)
        {
            var p = m.Any.Count > 0 ? m.Any[d] : m.All[d];
            _stamp++;
            if (p.Regex is not null)
            {
                foreach (var u in RegexRun(p, m.Speaker)) Consider(p, u, allowed);
                continue;
            }
            var live = Live(p);
            if (live.Length == 0) continue;
            foreach (var piece in live[0])
                foreach (ref readonly var h in _pieceHits[piece])
                    Consider(p, h.Utterance, allowed);
        }
        var candidates = 0;
        foreach (var stamp in _bestStamp) if (stamp == _findStamp) candidates++;
        var result = new List<MatchHit>(candidates);
        for (var u = 0; u < _best.Length; u++)
        {
            if (_bestStamp[u] != _findStamp) continue;
            var hit = _best[u];
            var ok = true;
            foreach (var p in m.All)
            {
                if (FirstHit(p, u) is not { } h) { ok = false; break; }
                hit = hit with { Confidence = Math.Min(hit.Confidence, h.Confidence) };
            }
            if (!ok || AnyHit(m.None, u)) continue;
            result.Add(hit);
        }
        if (result.Count < m.MinCount) result.Clear();
        return _matcherCache[m.Id] = result;
    }

    private void Consider(Pattern p, int u, bool[] allowed)
    {
        if (!allowed[u] || _seen[u] == _stamp) return;
        _seen[u] = _stamp;
        if (FirstHit(p, u) is not { } h) return;
        if (_bestStamp[u] == _findStamp)
        {
            var b = _best[u];
            if (h.Start > b.Start || (h.Start == b.Start && h.Confidence <= b.Confidence)) return;
        }
        _best[u] = h;
        _bestStamp[u] = _findStamp;
    }

    private bool AnyHit(IReadOnlyList<Pattern> patterns, int u)
    {
        foreach (var p in patterns) if (FirstHit(p, u) is not null) return true;
        return false;
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
        return AnyHit(m.None, u) ? null : best;
    }

    private bool[] Allowed(Matcher m)
    {
        var mask = _allowed;
        Array.Clear(mask);
        var turns = m.Speaker switch
        {
            "agent" => AgentTurns,
            "customer" => CustomerTurns,
            _ => AllTurns,
        };
        // The speaker's turns (ascending), then those in the first FirstSec seconds of them, then the last LastTurns of those.
        var end = turns.Length;
        if (m.FirstSec is { } fs && end > 0)
        {
            var t0 = double.PositiveInfinity;
            foreach (var i in turns) t0 = Math.Min(t0, Utterances[i].Start);
            var kept = 0;
            for (var k = 0; k < end; k++)
                if (Utterances[turns[k]].Start <= t0 + fs) kept++;
            // Start times ascend with the index, so the kept turns are a prefix.
            end = kept;
        }
        var start = m.LastTurns is { } lt ? Math.Max(0, end - lt) : 0;
        for (var k = start; k < end; k++) mask[turns[k]] = true;
        return mask;
    }

    private MatchHit? FirstHit(Pattern p, int u)
    {
        if (p.Regex is not null)
        {
            // At most one match per utterance: looked up, or the regex run on that utterance alone when its side was not run.
            var hits = RegexHitsOf(p);
            if (!HasRead(hits, u)) RegexRunOne(p, hits, u);
            return hits.Found.TryGetValue(u, out var f) ? new MatchHit(u, f.Start, f.End, _rubric.Settings.RegexConfidence) : null;
        }
        MatchHit? best = null;
        var segments = Live(p);
        if (segments.Length == 0) return null;
        foreach (var piece0 in segments[0])
        {
            var list0 = _pieceHits[piece0];
            for (var i0 = FirstOf(list0, u); i0 < list0.Length && list0[i0].Utterance == u; i0++)
            {
                ref readonly var h0 = ref list0[i0];
                var end = h0.End;
                var conf = h0.Confidence;
                var ok = true;
                for (var s = 1; s < segments.Length && ok; s++)
                {
                    int nextStart = int.MaxValue, nextEnd = 0;
                    var nextConf = 0.0;
                    var maxGap = p.Gaps[s - 1];
                    foreach (var piece in segments[s])
                    {
                        var list = _pieceHits[piece];
                        for (var i = FirstOf(list, u); i < list.Length && list[i].Utterance == u; i++)
                        {
                            ref readonly var h = ref list[i];
                            if (h.Start >= end && h.Start - end <= maxGap && h.Start < nextStart)
                            {
                                nextStart = h.Start;
                                nextEnd = h.End;
                                nextConf = h.Confidence;
                            }
                        }
                    }
                    if (nextStart != int.MaxValue) { end = nextEnd; conf = Math.Min(conf, nextConf); }
                    else ok = false;
                }
                if (!ok) continue;
                if (best is null || h0.Start < best.Value.Start || (h0.Start == best.Value.Start && conf > best.Value.Confidence))
                    best = new MatchHit(u, h0.Start, end, conf);
            }
        }
        return best;
    }

    /// <summary>The pieces of each segment of <paramref name="p"/> that occur in this call; <see cref="Dead"/> when a segment has none,
    /// so a pattern that cannot match is dismissed at once however many alternatives it has.</summary>
    private int[][] Live(Pattern p)
    {
        if (_livePieces[p.Id] is { } known) return known;
        var segments = p.Segments;
        var live = new int[segments.Count][];
        for (var s = 0; s < segments.Count; s++)
        {
            var n = 0;
            foreach (var piece in segments[s]) if (_pieceHits.Count(piece) > 0) n++;
            if (n == 0) return _livePieces[p.Id] = Dead;
            var arr = new int[n];
            n = 0;
            foreach (var piece in segments[s]) if (_pieceHits.Count(piece) > 0) arr[n++] = piece;
            live[s] = arr;
        }
        return _livePieces[p.Id] = live;
    }

    /// <summary>Hits are appended utterance by utterance: the index of the first hit of utterance u.</summary>
    private static int FirstOf(ReadOnlySpan<Hit> list, int u)
    {
        if (list.Length == 0 || list[0].Utterance >= u) return 0;
        int lo = 0, hi = list.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (list[mid].Utterance < u) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>A regex's first match per utterance, kept sparse (a 200,000-utterance call must not allocate arrays of that
    /// length per regex): the matches found, which sides of the call it has run over, and the turns read alone.</summary>
    private sealed class RegexHits
    {
        public readonly Dictionary<int, (int Start, int End)> Found = new();
        public readonly List<int>?[] SideMatches = new List<int>?[3];
        public HashSet<int>? Alone;
    }

    private RegexHits RegexHitsOf(Pattern p)
    {
        _regexCache ??= new Dictionary<Pattern, RegexHits>(ReferenceEqualityComparer.Instance);
        if (!_regexCache.TryGetValue(p, out var hits)) _regexCache[p] = hits = new RegexHits();
        return hits;
    }

    private static int Side(string speaker) => speaker switch { "agent" => 0, "customer" => 1, _ => 2 };

    private int[] SideTurns(string speaker) => Side(speaker) switch { 0 => AgentTurns, 1 => CustomerTurns, _ => AllTurns };

    /// <summary>Whether utterance <paramref name="u"/> has been read by the regex (its side run, or the turn alone).</summary>
    private bool HasRead(RegexHits hits, int u) =>
        hits.SideMatches[2] is not null || (hits.SideMatches[0] is not null && Roles[u] == Speakers.Agent)
        || (hits.SideMatches[1] is not null && Roles[u] == Speakers.Customer) || hits.Alone?.Contains(u) == true;

    /// <summary>
    /// A regex runs once over one side of the call — the utterances of the condition's speaker joined by line breaks
    /// (every utterance when it has none) —, not once per utterance: an agent-only condition does not read the customer's
    /// words. Each utterance keeps its first match that ends inside it. Returns the utterances with a match, ascending
    /// (for a side already covered by a run over the whole call, that run's: the caller keeps to its speaker's turns).
    /// </summary>
    private List<int> RegexRun(Pattern p, string speaker)
    {
        var hits = RegexHitsOf(p);
        var side = Side(speaker);
        if (hits.SideMatches[side] is { } done) return done;
        if (hits.SideMatches[2] is { } whole) return whole;
        var matched = hits.SideMatches[side] = new List<int>();
        var (text, offsets, turns) = _joined[side] ??= Join(SideTurns(speaker));
        var lastK = -1;
        try
        {
            // EnumerateMatches: the same matches as Match/NextMatch, without a Match object per match.
            foreach (var mt in p.Regex!.EnumerateMatches(text))
            {
                var k = Array.BinarySearch(offsets, mt.Index);
                if (k < 0) k = ~k - 1;
                var u = turns[k];
                if (k == lastK || mt.Index + mt.Length > offsets[k] + Folded[u].Chars.Length) continue;
                lastK = k;
                hits.Found.TryAdd(u, (mt.Index - offsets[k], mt.Index - offsets[k] + mt.Length));
                matched.Add(u);
            }
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // A pathological expression in a hand-edited rubric matches nothing rather than stalling the pipeline.
        }
        return matched;
    }

    /// <summary>The regex on one utterance alone (a condition asked of a turn outside its speaker's side).</summary>
    private void RegexRunOne(Pattern p, RegexHits hits, int u)
    {
        (hits.Alone ??= []).Add(u);
        try
        {
            foreach (var mt in p.Regex!.EnumerateMatches(Folded[u].Chars))
            {
                hits.Found.TryAdd(u, (mt.Index, mt.Index + mt.Length));
                break;
            }
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
        }
    }

    private (string, int[], int[]) Join(int[] turns)
    {
        var length = 0;
        foreach (var u in turns) length += Folded[u].Chars.Length + 1;
        var sb = new System.Text.StringBuilder(length);
        var offsets = new int[turns.Length];
        for (var k = 0; k < turns.Length; k++) { offsets[k] = sb.Length; sb.Append(Folded[turns[k]].Chars).Append('\n'); }
        return (sb.ToString(), offsets, turns);
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

    // The same definition as the audio step's (AudioTimeline.Overlaps), applied to utterance times.
    private IReadOnlyList<Overlap> ComputeOverlaps() =>
        IsMono ? [] : AudioTimeline.Overlaps(
            Utterances.Select((u, i) => new SpeechSegment { Speaker = Roles[i], Start = u.Start, End = u.End }).ToList(), AudioTimeline.DefaultMinOverlapSec);
}
