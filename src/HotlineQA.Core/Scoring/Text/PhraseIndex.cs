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
    private readonly int _homophoneMinLength;
    private readonly List<string> _pieces = [];
    private readonly List<int[]> _pieceKeys = [];
    private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);

    // Automaton. Keys of the literals are renumbered 1..S ("symbols"; 0 = no literal uses the character); the root's
    // moves are a dense array, the others an open-addressing table on (node, symbol), so a step is one or two probes.
    private readonly Dictionary<long, int> _next = [];
    private int[] _failLink = [];
    private int[] _outStart = [];
    private (int Piece, byte Kind, int Length)[] _outs = [];
    private bool _built;
    private int[] _symbol = [];
    private int[] _rootNext = [];
    private ulong[] _edgeKeys = [];
    private int[] _edgeNodes = [];
    private int _edgeShift;

    public PhraseIndex(TextFolder folder, MatchConfidence conf, int fuzzyMinLength, int homophoneMinLength = 1)
    {
        _homophoneMinLength = homophoneMinLength;
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
        var flat = outs.Select(o => o.Distinct().ToArray()).ToArray();
        _outStart = new int[flat.Length + 1];
        for (var n = 0; n < flat.Length; n++) _outStart[n + 1] = _outStart[n] + flat[n].Length;
        _outs = flat.SelectMany(o => o).ToArray();

        var maxKey = _pieceKeys.SelectMany(k => k).DefaultIfEmpty(0).Max();
        _symbol = new int[maxKey + 1];
        var symbols = 0;
        foreach (var keys in _pieceKeys) foreach (var k in keys) if (_symbol[k] == 0) _symbol[k] = ++symbols;
        _rootNext = new int[symbols + 1];
        var bits = Math.Max(4, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(1, _next.Count) * 2 - 1) + 1);
        _edgeShift = 64 - bits;
        _edgeKeys = new ulong[1 << bits];
        _edgeNodes = new int[1 << bits];
        Array.Fill(_edgeKeys, ulong.MaxValue);
        foreach (var (k, child) in _next)
        {
            var node = (int)(k >> 32);
            var sym = _symbol[(int)(k & 0xFFFFFFFF)];
            if (node == 0) { _rootNext[sym] = child; continue; }
            var key = EdgeKey(node, sym);
            var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _edgeShift);
            while (_edgeKeys[slot] != ulong.MaxValue) slot = (slot + 1) & (_edgeKeys.Length - 1);
            _edgeKeys[slot] = key;
            _edgeNodes[slot] = child;
        }
        _next.Clear();
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
                    _next[key] = child;
                }
                node = child;
            }
            outs[node].Add(entry);
        }
    }

    /// <summary>Scans the folded utterances: every piece's hits, in utterance and position order.</summary>
    public PieceHits Scan(IReadOnlyList<FoldedText> utterances)
    {
        if (!_built) Build();
        using var hits = new HitCollector(_pieces.Count);
        for (var u = 0; u < utterances.Count; u++)
        {
            var text = utterances[u];
            var keys = text.Keys;
            var node = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                var k = (uint)keys[i];
                var sym = k < (uint)_symbol.Length ? _symbol[k] : 0;
                if (sym == 0) { node = 0; continue; } // no literal uses this character
                while (true)
                {
                    if (node == 0) { node = _rootNext[sym]; break; }
                    var to = Child(node, sym);
                    if (to != 0) { node = to; break; }
                    node = _failLink[node];
                }
                for (int o = _outStart[node], oEnd = _outStart[node + 1]; o < oEnd; o++)
                {
                    var (piece, kind, len) = _outs[o];
                    var start = i - len + 1;
                    if (kind == 0)
                    {
                        var exact = string.CompareOrdinal(text.Chars, start, _pieces[piece], 0, len) == 0;
                        if (!exact && len < _homophoneMinLength) continue;
                        hits.Add(piece, new Hit(u, start, len, exact ? _conf.Exact : _conf.Homophone, false));
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
        return hits.ToPieceHits();
    }

    private static ulong EdgeKey(int node, int symbol) => ((ulong)(uint)node << 32) | (uint)symbol;

    /// <summary>The goto move of a non-root node, 0 when it has none.</summary>
    private int Child(int node, int symbol)
    {
        var key = EdgeKey(node, symbol);
        var mask = _edgeKeys.Length - 1;
        for (var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _edgeShift); ; slot = (slot + 1) & mask)
        {
            var at = _edgeKeys[slot];
            if (at == key) return _edgeNodes[slot];
            if (at == ulong.MaxValue) return 0;
        }
    }

    private void Verify(HitCollector hits, int piece, int[] pk, FoldedText text, int u, int guess)
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
        if (hits.NearbyInUtterance(piece, u, bestStart)) return;
        hits.Add(piece, new Hit(u, bestStart, bestLen, _conf.Fuzzy, true));
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

    /// <summary>Hits as the scan finds them, chained per piece (pooled scratch), then bucketed by piece.</summary>
    private sealed class HitCollector : IDisposable
    {
        private Hit[] _hits = System.Buffers.ArrayPool<Hit>.Shared.Rent(2048);
        private int[] _prev = System.Buffers.ArrayPool<int>.Shared.Rent(2048);
        private bool[] _dead = System.Buffers.ArrayPool<bool>.Shared.Rent(2048);
        private readonly int[] _last;
        private readonly int _pieces;
        private int _count;

        public HitCollector(int pieces)
        {
            _pieces = pieces;
            _last = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, pieces));
            _last.AsSpan(0, pieces).Fill(-1);
        }

        public void Add(int piece, Hit hit)
        {
            if (!hit.Fuzzy)
            {
                // An exact hit supersedes a fuzzy one found from a half at the same place (only recent entries can be).
                for (var i = _last[piece]; i >= 0 && _hits[i].Utterance == hit.Utterance; i = _prev[i])
                    if (!_dead[i] && _hits[i].Fuzzy && Math.Abs(_hits[i].Start - hit.Start) <= 1) _dead[i] = true;
            }
            if (_count == _hits.Length) Grow();
            _hits[_count] = hit;
            _prev[_count] = _last[piece];
            _dead[_count] = false;
            _last[piece] = _count++;
        }

        /// <summary>Whether the piece already has a hit in utterance u starting within one character of start.</summary>
        public bool NearbyInUtterance(int piece, int u, int start)
        {
            for (var i = _last[piece]; i >= 0 && _hits[i].Utterance == u; i = _prev[i])
                if (!_dead[i] && Math.Abs(_hits[i].Start - start) <= 1) return true;
            return false;
        }

        public PieceHits ToPieceHits()
        {
            // The piece of each hit comes from the chains; a counting sort then keeps each piece's hits in scan order.
            var pieceOf = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, _count));
            var fill = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, _pieces));
            try
            {
                var offsets = new int[_pieces + 1];
                for (var p = 0; p < _pieces; p++)
                    for (var i = _last[p]; i >= 0; i = _prev[i])
                    {
                        pieceOf[i] = p;
                        if (!_dead[i]) offsets[p + 1]++;
                    }
                for (var p = 0; p < _pieces; p++) offsets[p + 1] += offsets[p];
                var result = new Hit[offsets[_pieces]];
                offsets.AsSpan(0, _pieces).CopyTo(fill);
                for (var i = 0; i < _count; i++)
                    if (!_dead[i]) result[fill[pieceOf[i]]++] = _hits[i];
                return new PieceHits(result, offsets);
            }
            finally
            {
                System.Buffers.ArrayPool<int>.Shared.Return(pieceOf);
                System.Buffers.ArrayPool<int>.Shared.Return(fill);
            }
        }

        private void Grow()
        {
            var n = _hits.Length * 2;
            var hits = System.Buffers.ArrayPool<Hit>.Shared.Rent(n);
            var prev = System.Buffers.ArrayPool<int>.Shared.Rent(n);
            var dead = System.Buffers.ArrayPool<bool>.Shared.Rent(n);
            _hits.AsSpan(0, _count).CopyTo(hits);
            _prev.AsSpan(0, _count).CopyTo(prev);
            _dead.AsSpan(0, _count).CopyTo(dead);
            ReturnScratch();
            (_hits, _prev, _dead) = (hits, prev, dead);
        }

        private void ReturnScratch()
        {
            System.Buffers.ArrayPool<Hit>.Shared.Return(_hits);
            System.Buffers.ArrayPool<int>.Shared.Return(_prev);
            System.Buffers.ArrayPool<bool>.Shared.Return(_dead);
        }

        public void Dispose()
        {
            ReturnScratch();
            System.Buffers.ArrayPool<int>.Shared.Return(_last);
        }
    }
}

/// <summary>A call's hits grouped by piece; within a piece in utterance order, then position.</summary>
public sealed class PieceHits(Hit[] hits, int[] offsets)
{
    public ReadOnlySpan<Hit> this[int piece] => hits.AsSpan(offsets[piece], offsets[piece + 1] - offsets[piece]);

    public int Count(int piece) => offsets[piece + 1] - offsets[piece];

    public int Total => hits.Length;
}
