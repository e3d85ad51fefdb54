namespace HotlineQA.Scoring.Text;

/// <summary>Where a piece or pattern matched: utterance, span in the folded text, and how sure the match is.</summary>
public readonly record struct Hit(int Utterance, int Start, int Length, double Confidence, bool Fuzzy)
{
    public int End => Start + Length;
}

/// <summary>Confidences given to the kinds of match (from the rubric's settings).</summary>
public sealed record MatchConfidence(double Exact = 1.0, double Homophone = 0.85, double Fuzzy = 0.7, double Regex = 0.95);

/// <summary>
/// Every literal of the rubric in one Aho–Corasick automaton over homophone keys, so a call is scanned once whatever
/// the number of phrases. Literals of <c>fuzzyMinLength</c> or more also match with one edit: each half is in the
/// automaton and a hit of either half is verified by edit distance (pigeonhole: one edit leaves one half intact).
/// </summary>
public sealed class PhraseIndex
{
    private readonly TextFolder _folder;
    private readonly MatchConfidence _conf;
    private readonly int _fuzzyMinLength;
    private readonly List<string> _pieces = [];
    private readonly List<int[]> _pieceKeys = [];
    private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);

    // Automaton
    private readonly Dictionary<long, int> _next = [];
    private int[] _failLink = [];
    private (int Piece, byte Kind, int Length)[][] _out = [];
    private bool _built;
    private bool[] _alphabet = [];

    public PhraseIndex(TextFolder folder, MatchConfidence conf, int fuzzyMinLength)
    {
        _folder = folder;
        _conf = conf;
        _fuzzyMinLength = fuzzyMinLength;
    }

    public int PieceCount => _pieces.Count;

    public int AddPiece(string foldedLiteral)
    {
        if (_built) throw new InvalidOperationException("the phrase index is already built");
        if (_byText.TryGetValue(foldedLiteral, out var id)) return id;
        id = _pieces.Count;
        _pieces.Add(foldedLiteral);
        _pieceKeys.Add(foldedLiteral.Select(_folder.Key).ToArray());
        _byText[foldedLiteral] = id;
        return id;
    }

    public void Build()
    {
        var outs = new List<List<(int, byte, int)>> { new() };
        var depth = new List<int> { 0 };
        for (var p = 0; p < _pieces.Count; p++)
        {
            var keys = _pieceKeys[p];
            Insert(keys, (p, 0, keys.Length));
            if (keys.Length >= _fuzzyMinLength)
            {
                var h0 = keys.Length / 2;
                Insert(keys[..h0], (p, 1, h0));
                Insert(keys[h0..], (p, 2, keys.Length - h0));
            }
        }
        // Breadth-first failure links.
        _failLink = new int[outs.Count];
        var children = new List<(int Key, int Child)>[outs.Count];
        foreach (var (k, child) in _next)
        {
            var parent = (int)(k >> 32);
            (children[parent] ??= []).Add(((int)(k & 0xFFFFFFFF), child));
        }
        var queue = new Queue<int>();
        foreach (var (_, child) in children[0] ?? []) { _failLink[child] = 0; queue.Enqueue(child); }
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var (key, child) in children[node] ?? [])
            {
                var f = _failLink[node];
                int to;
                while (!_next.TryGetValue(((long)f << 32) | (uint)key, out to) && f != 0) f = _failLink[f];
                _failLink[child] = _next.TryGetValue(((long)f << 32) | (uint)key, out to) && to != child ? to : 0;
                outs[child].AddRange(outs[_failLink[child]]);
                queue.Enqueue(child);
            }
        }
        _out = outs.Select(o => o.Distinct().ToArray()).ToArray();
        var maxKey = _pieceKeys.SelectMany(k => k).DefaultIfEmpty(0).Max();
        _alphabet = new bool[maxKey + 1];
        foreach (var keys in _pieceKeys) foreach (var k in keys) _alphabet[k] = true;
        _built = true;

        void Insert(int[] keys, (int, byte, int) entry)
        {
            var node = 0;
            foreach (var k in keys)
            {
                var key = ((long)node << 32) | (uint)k;
                if (!_next.TryGetValue(key, out var child))
                {
                    child = outs.Count;
                    outs.Add([]);
                    depth.Add(depth[node] + 1);
                    _next[key] = child;
                }
                node = child;
            }
            outs[node].Add(entry);
        }
    }

    /// <summary>Scans the folded utterances; result[piece] lists that piece's hits (null when none).</summary>
    public List<Hit>?[] Scan(IReadOnlyList<FoldedText> utterances)
    {
        if (!_built) Build();
        var hits = new List<Hit>?[_pieces.Count];
        for (var u = 0; u < utterances.Count; u++)
        {
            var text = utterances[u];
            var keys = text.Keys;
            var node = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                var k = (uint)keys[i];
                if (k >= (uint)_alphabet.Length || !_alphabet[k]) { node = 0; continue; } // no literal uses this character
                int to;
                while (!_next.TryGetValue(((long)node << 32) | k, out to) && node != 0) node = _failLink[node];
                node = _next.TryGetValue(((long)node << 32) | k, out to) ? to : 0;
                var outs = _out[node];
                for (var o = 0; o < outs.Length; o++)
                {
                    var (piece, kind, len) = outs[o];
                    var start = i - len + 1;
                    if (kind == 0)
                    {
                        var exact = string.CompareOrdinal(text.Chars, start, _pieces[piece], 0, len) == 0;
                        Add(hits, piece, new Hit(u, start, len, exact ? _conf.Exact : _conf.Homophone, false));
                    }
                    else
                    {
                        var pk = _pieceKeys[piece];
                        var guess = kind == 1 ? start : start - pk.Length / 2;
                        Verify(hits, piece, pk, text, u, guess);
                    }
                }
            }
        }
        return hits;
    }

    private void Verify(List<Hit>?[] hits, int piece, int[] pk, FoldedText text, int u, int guess)
    {
        // Exact occurrences are the full literal's job; here: one substitution, insertion or deletion, checked directly.
        int bestStart = -1, bestLen = 0;
        for (var st = guess - 1; st <= guess + 1 && bestStart < 0; st++)
        for (var len = pk.Length - 1; len <= pk.Length + 1; len++)
        {
            if (st < 0 || st + len > text.Keys.Length) continue;
            var window = text.Keys.AsSpan(st, len);
            if (window.SequenceEqual(pk)) return;
            if (OneEdit(pk, window)) { bestStart = st; bestLen = len; break; }
        }
        if (bestStart < 0) return;
        // A one-character slip must not flip the meaning: the negations on both sides must agree.
        if (Negations(_pieces[piece].AsSpan()) != Negations(text.Chars.AsSpan(bestStart, bestLen))) return;
        if (hits[piece] is { } list)
            for (var i = list.Count - 1; i >= 0 && list[i].Utterance == u; i--)
                if (Math.Abs(list[i].Start - bestStart) <= 1) return;
        Add(hits, piece, new Hit(u, bestStart, bestLen, _conf.Fuzzy, true));
    }

    private static bool OneEdit(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length == b.Length)
        {
            var diff = 0;
            for (var i = 0; i < a.Length; i++) if (a[i] != b[i] && ++diff > 1) return false;
            return diff == 1;
        }
        if (Math.Abs(a.Length - b.Length) != 1) return false;
        var longer = a.Length > b.Length ? a : b;
        var shorter = a.Length > b.Length ? b : a;
        int p = 0, q = 0, skipped = 0;
        while (p < longer.Length && q < shorter.Length)
        {
            if (longer[p] == shorter[q]) { p++; q++; continue; }
            if (++skipped > 1) return false;
            p++;
        }
        return true;
    }

    private static int Negations(ReadOnlySpan<char> s)
    {
        var n = 0;
        foreach (var c in s) if (c is '不' or '没' or '别' or '无' or '非' or '未' or '莫' or '勿' or '否') n++;
        return n;
    }

    private static void Add(List<Hit>?[] hits, int piece, Hit hit)
    {
        var list = hits[piece] ??= [];
        if (!hit.Fuzzy)
        {
            // An exact hit supersedes a fuzzy one found from a half at the same place (only recent entries can be).
            for (var i = list.Count - 1; i >= 0 && list[i].Utterance == hit.Utterance; i--)
                if (list[i].Fuzzy && Math.Abs(list[i].Start - hit.Start) <= 1) list.RemoveAt(i);
        }
        list.Add(hit);
    }

}
