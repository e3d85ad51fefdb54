using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace HotlineQA.Classification;

/// <summary>The input row of the project's two text models: normalized text and the context vector.</summary>
internal interface ITextRow
{
    string Text { get; set; }
    float[] Context { get; set; }
}

/// <summary>
/// A trained ML.NET text model of the shape both of the project's models have (character 1–3-grams with begin/end
/// markers, term-frequency weighted and L2-normalised, concatenated with a context vector, then a maximum-entropy
/// linear classifier), read out of the model once and applied directly. ML.NET's <see cref="PredictionEngine{TSrc,TDst}"/>
/// pays for its general data-view machinery on every row (getters, buffers, a 54,000-slot sparse vector built and
/// copied per transform): about 10 µs per turn, which was most of a call's scoring time with the models in. This reads
/// the same parameters — the n-gram dictionary from the model's slot names, the weights and biases from the trained
/// <see cref="MaximumEntropyModelParameters"/> — and computes the same numbers in about a tenth of that.
/// <para>ML.NET stays the trainer and the reference: <see cref="TryCompile"/> refuses any model whose pipeline is not
/// exactly this shape, and checks the compiled model against ML.NET's own predictions on probe rows before it is used;
/// a model that does not match to 1e-4 is run through ML.NET as before (the caller keeps its prediction engine).</para>
/// </summary>
internal sealed class CompiledTextModel
{
    // ML.NET's character tokenizer brackets each text with these two characters and names them <␂> and <␃> in its
    // slot names; any other control character c is named <(char)(0x2400 + c)>. Normalized text holds no control
    // characters, so the markers cannot collide with text.
    private const char BeginMarker = '\u0002', EndMarker = '\u0003';

    private readonly NgramTable _ngrams;
    private readonly float[] _weights; // [feature × classes + class]
    private readonly float[] _biases;
    private readonly int _textFeatures;
    // ML.NET names every UTF-16 surrogate "\u4X" in its slot names (a format string without digits), so n-grams with a
    // surrogate cannot be told apart: a model that has any is asked through ML.NET for texts holding a surrogate.
    private readonly bool _surrogateSlots;

    public int Classes { get; }
    public int ContextFeatures { get; }

    private CompiledTextModel(NgramTable ngrams, float[] weights, float[] biases, int textFeatures, int contextFeatures, bool surrogateSlots)
    {
        _ngrams = ngrams;
        _surrogateSlots = surrogateSlots;
        _weights = weights;
        _biases = biases;
        _textFeatures = textFeatures;
        ContextFeatures = contextFeatures;
        Classes = biases.Length;
    }

    /// <summary>The compiled form of <paramref name="model"/> checked against <paramref name="engine"/> (an ML.NET
    /// prediction engine of the same model, its input row <paramref name="row"/> reused), or null.</summary>
    public static CompiledTextModel? TryCompile<TRow>(ITransformer model, PredictionEngine<TRow, ScoreOutput> engine, TRow row, int contextFeatures)
        where TRow : class, ITextRow
    {
        var output = new ScoreOutput();
        return TryCompile(model, engine.OutputSchema, contextFeatures, (text, context) =>
        {
            row.Text = text;
            row.Context = context;
            engine.Predict(row, ref output);
            return output.Score.ToArray();
        }, out _);
    }

    /// <summary>
    /// The compiled form of <paramref name="model"/>, or null (with <paramref name="why"/>) when the model is not of the
    /// shape described above or does not reproduce <paramref name="reference"/>'s probabilities on the probe rows.
    /// <paramref name="outputSchema"/> is the model's output schema (a prediction engine's); <paramref name="reference"/>
    /// scores (normalized text, context) with ML.NET, in the model's class order.
    /// </summary>
    public static CompiledTextModel? TryCompile(ITransformer model, DataViewSchema outputSchema, int contextFeatures,
        Func<string, float[], float[]> reference, out string? why)
    {
        why = null;
        // A freshly fitted pipeline is a TransformerChain<(its last step)>, a loaded one a TransformerChain<ITransformer>.
        if (model is not IEnumerable<ITransformer> chain) { why = "not a transformer chain"; return null; }
        MaximumEntropyModelParameters? linear = null;
        foreach (var t in chain)
        {
            switch (t)
            {
                case MulticlassPredictionTransformer<MaximumEntropyModelParameters> p: linear = p.Model; break;
                case ColumnConcatenatingTransformer:
                case Microsoft.ML.Transforms.ValueToKeyMappingTransformer:
                case Microsoft.ML.Transforms.KeyToValueMappingTransformer:
                    break;
                // ML.NET's text featurizer (an internal type): its options are not readable, the probe check below covers them.
                case var _ when t.GetType().FullName == "Microsoft.ML.Transforms.Text.TextFeaturizingEstimator+Transformer": break;
                default: why = $"unexpected step {t.GetType().Name}"; return null;
            }
        }
        if (linear is null) { why = "no maximum-entropy classifier"; return null; }
        if (outputSchema.GetColumnOrNull("TextFeatures") is not { } textColumn || outputSchema.GetColumnOrNull("Features") is not { } features)
        { why = "no TextFeatures/Features columns"; return null; }
        var textCount = (textColumn.Type as VectorDataViewType)?.Size ?? 0;
        if (textCount == 0 || ((features.Type as VectorDataViewType)?.Size ?? 0) != textCount + contextFeatures) { why = "features are not text n-grams + context"; return null; }

        var names = default(VBuffer<ReadOnlyMemory<char>>);
        if (!textColumn.HasSlotNames()) { why = "the text features have no slot names"; return null; }
        textColumn.GetSlotNames(ref names);
        var ngrams = new List<(string Chars, int Slot)>(textCount);
        var slot = 0;
        var surrogateSlots = false;
        foreach (var name in names.DenseValues())
        {
            if (name.Span.IndexOf(SurrogateName) >= 0) surrogateSlots = true;
            else if (TryChars(name.Span) is { } chars) ngrams.Add((chars, slot));
            else { why = $"slot name '{name}' is not a 1–3 character n-gram"; return null; }
            slot++;
        }

        VBuffer<float>[] classWeights = [];
        linear.GetWeights(ref classWeights, out var classes);
        var biases = linear.GetBiases().ToArray();
        if (classes != biases.Length || classWeights.Length != classes) { why = "weights and biases disagree"; return null; }
        var weights = new float[(textCount + contextFeatures) * classes];
        for (var k = 0; k < classes; k++)
        {
            var w = classWeights[k];
            if (w.Length != textCount + contextFeatures) { why = "weight vector of the wrong length"; return null; }
            foreach (var (i, v) in w.Items()) weights[i * classes + k] = v;
        }
        if (NgramTable.TryBuild(ngrams) is not { } table) { why = "the n-grams do not pack into the lookup table"; return null; }
        var compiled = new CompiledTextModel(table, weights, biases, textCount, contextFeatures, surrogateSlots);

        // The check that makes this safe for any model a user trains: the compiled model must give ML.NET's numbers.
        var probe = new float[classes];
        var rng = new Random(20261207);
        foreach (var text in ProbeTexts(names))
        {
            var context = new float[contextFeatures];
            for (var j = 0; j < contextFeatures; j++) context[j] = rng.Next(3) switch { 0 => 0f, 1 => 1f, _ => (float)rng.NextDouble() };
            if (!compiled.TryScore(text, context, probe)) continue; // a surrogate for a model with surrogate slots: ML.NET's
            var expected = reference(text, context);
            for (var k = 0; k < classes; k++)
                if (!(Math.Abs(expected[k] - probe[k]) <= 1e-4))
                { why = $"differs from ML.NET on a probe row (class {k}: {probe[k]} vs {expected[k]})"; return null; }
        }
        return compiled;
    }

    /// <summary>
    /// Class probabilities (the model's class order) of normalized <paramref name="text"/> with its context vector; false
    /// (nothing written) for a text this model cannot read exactly — one holding a surrogate when the model has surrogate
    /// n-grams — which the caller then asks ML.NET.
    /// </summary>
    public bool TryScore(string text, ReadOnlySpan<float> context, Span<float> probabilities)
    {
        if (_surrogateSlots)
            foreach (var c in text)
                if (char.IsSurrogate(c)) return false;
        var classes = Classes;
        var length = text.Length + 2;
        var capacity = 3 * length;
        int[]? rented = null;
        Span<int> ids = capacity <= 512 ? stackalloc int[capacity] : (rented = System.Buffers.ArrayPool<int>.Shared.Rent(capacity));
        try
        {
            var m = 0;
            // Dense character ids (0 = a character in no n-gram of the model: no n-gram through it can be looked up).
            int prev2 = 0, prev1 = 0;
            for (var i = 0; i < length; i++)
            {
                var c = _ngrams.CharId(At(text, i));
                if (c != 0)
                {
                    if (_ngrams.TryGet(1, c, 0, 0, out var id)) ids[m++] = id;
                    if (prev1 != 0)
                    {
                        if (_ngrams.TryGet(2, prev1, c, 0, out id)) ids[m++] = id;
                        if (prev2 != 0 && _ngrams.TryGet(3, prev2, prev1, c, out id)) ids[m++] = id;
                    }
                }
                (prev2, prev1) = (prev1, c);
            }
            // Term frequencies, L2-normalised over the n-grams in the dictionary (as ML.NET's text featurizer does):
            // score = bias + Σ over distinct n-grams count·w / ‖counts‖ = bias + (Σ over occurrences w) / ‖counts‖, so
            // only the norm needs the counts — kept in a per-thread array indexed by n-gram (no sort, no dictionary).
            var counts = Counts;
            if (counts is null || counts.Length < _textFeatures) Counts = counts = new int[Math.Max(_textFeatures, counts?.Length ?? 0)];
            var sumSquares = 0;
            Span<float> scores = stackalloc float[classes];
            scores.Clear();
            for (var i = 0; i < m; i++)
            {
                var id = ids[i];
                sumSquares += 2 * counts[id]++ + 1; // (c + 1)² − c²
                var row = id * classes;
                for (var k = 0; k < classes; k++) scores[k] += _weights[row + k];
            }
            for (var i = 0; i < m; i++) counts[ids[i]] = 0;
            var scale = sumSquares > 0 ? 1f / MathF.Sqrt(sumSquares) : 0f;
            for (var k = 0; k < classes; k++) scores[k] = _biases[k] + scores[k] * scale;
            for (var f = 0; f < ContextFeatures && f < context.Length; f++)
            {
                var value = context[f];
                if (value == 0) continue;
                var row = (_textFeatures + f) * classes;
                for (var k = 0; k < classes; k++) scores[k] += value * _weights[row + k];
            }

            // Softmax.
            var max = scores[0];
            for (var k = 1; k < classes; k++) max = Math.Max(max, scores[k]);
            var sum = 0f;
            for (var k = 0; k < classes; k++) { probabilities[k] = MathF.Exp(scores[k] - max); sum += probabilities[k]; }
            for (var k = 0; k < classes; k++) probabilities[k] /= sum;
            return true;
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<int>.Shared.Return(rented);
        }
    }

    // Per-thread n-gram counts for one prediction (all zero between predictions); sized to the largest model used.
    [ThreadStatic] private static int[]? Counts;

    private const string SurrogateName = "\\u4X";

    private static char At(string text, int i) => i == 0 ? BeginMarker : i == text.Length + 1 ? EndMarker : text[i - 1];

    /// <summary>"a", "a|b", "a|b|c" (each token one character, or a control character as &lt;␂&gt;) → the characters, or null.</summary>
    private static string? TryChars(ReadOnlySpan<char> name)
    {
        Span<char> chars = stackalloc char[3];
        var n = 0;
        while (true)
        {
            char c;
            if (name.Length >= 3 && name[0] == '<' && name[2] == '>' && name[1] is >= '\u2400' and <= '\u2420' && (name.Length == 3 || name[3] == '|'))
            { c = (char)(name[1] - 0x2400); name = name[3..]; }
            else if (name.Length >= 1) { c = name[0]; name = name[1..]; }
            else return null;
            if (n == 3) return null;
            chars[n++] = c;
            if (name.Length == 0) break;
            if (name[0] != '|' || name.Length == 1) return null;
            name = name[1..];
        }
        return new string(chars[..n]);
    }

    /// <summary>Probe rows: texts built from the model's own n-grams (so they hit the dictionary, with repeats), an
    /// unknown character, a character outside the BMP, a long text and a one-character one.</summary>
    private static IEnumerable<string> ProbeTexts(VBuffer<ReadOnlyMemory<char>> names)
    {
        var chars = names.DenseValues().Select(n => n.ToString()).Where(s => s.Length == 1).Take(400).ToArray();
        if (chars.Length == 0) yield break;
        var rng = new Random(7);
        string Pick(int length) => string.Concat(Enumerable.Range(0, length).Select(_ => chars[rng.Next(Math.Min(chars.Length, 60))]));
        yield return chars[0];
        yield return chars[0] + chars[0] + chars[0] + chars[0];
        for (var i = 0; i < 12; i++) yield return Pick(3 + rng.Next(20));
        yield return Pick(5) + "\uD842\uDFB7" + Pick(4);
        yield return Pick(4) + "\u0BF5" + Pick(3);
        yield return Pick(300);
    }

    /// <summary>
    /// The n-gram dictionary as one open-addressing table of packed 64-bit entries (n-gram key and slot together, linear
    /// probing, at most half full): the lookups are most of a prediction's work and, between the rules' passes over a
    /// call, the table is rarely in cache — one entry per probe is one memory access, not two. Characters get dense ids
    /// (a model's n-grams use a few thousand), so three of them, the length and a 16-bit slot fit in one entry.
    /// </summary>
    private sealed class NgramTable
    {
        private readonly ushort[] _charIds = new ushort[65536];
        private readonly ulong[] _entries; // key << 16 | slot; 0 = empty (a key holds its length ≥ 1, so never 0)
        private readonly int _mask;
        private readonly int _bits;

        private NgramTable(ulong[] entries, int bits)
        {
            _entries = entries;
            _mask = entries.Length - 1;
            _bits = bits;
        }

        /// <summary>The table of <paramref name="ngrams"/> (characters, 1–3 of them, → slot), or null when it does not
        /// pack: more than 65,536 slots, or too many distinct characters for three ids, the length and a slot in 64 bits.</summary>
        public static NgramTable? TryBuild(IReadOnlyList<(string Chars, int Slot)> ngrams)
        {
            var ids = new Dictionary<char, ushort>();
            foreach (var (chars, slot) in ngrams)
            {
                if (slot > ushort.MaxValue) return null;
                foreach (var c in chars) if (!ids.ContainsKey(c)) ids[c] = (ushort)(ids.Count + 1);
            }
            var bits = 1;
            while ((1 << bits) <= ids.Count) bits++;
            if (3 * bits + 2 + 16 > 64) return null;
            var size = 16;
            while (size < ngrams.Count * 2) size <<= 1;
            var table = new NgramTable(new ulong[size], bits);
            foreach (var (c, id) in ids) table._charIds[c] = id;
            foreach (var (chars, slot) in ngrams)
            {
                var key = table.Key(chars.Length, ids[chars[0]], chars.Length > 1 ? ids[chars[1]] : 0, chars.Length > 2 ? ids[chars[2]] : 0);
                var i = table.Slot(key);
                while (table._entries[i] != 0)
                {
                    if (table._entries[i] >> 16 == key) return null; // the same n-gram twice
                    i = (i + 1) & table._mask;
                }
                table._entries[i] = key << 16 | (uint)slot;
            }
            return table;
        }

        public int CharId(char c) => _charIds[c];

        public bool TryGet(int length, int a, int b, int c, out int slot)
        {
            var key = Key(length, a, b, c);
            for (var i = Slot(key); ; i = (i + 1) & _mask)
            {
                var e = _entries[i];
                if (e >> 16 == key) { slot = (int)(e & 0xFFFF); return true; }
                if (e == 0) { slot = 0; return false; }
            }
        }

        private ulong Key(int length, int a, int b, int c) => (ulong)(uint)length << (3 * _bits) | (uint)a | (ulong)(uint)b << _bits | (ulong)(uint)c << (2 * _bits);

        private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & _mask;
    }
}
