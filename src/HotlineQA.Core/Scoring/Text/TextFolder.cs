using System.Text;
using HotlineQA.Common;

namespace HotlineQA.Scoring.Text;

/// <summary>One utterance made comparable: Simplified, punctuation and spaces dropped, each kept character with its
/// matching key (its Mandarin syllable, so homophones meet) and its index in the original text (for evidence spans).</summary>
public sealed class FoldedText
{
    public required string Chars { get; init; }
    public required int[] Keys { get; init; }
    public required int[] OriginalIndex { get; init; }
}

/// <summary>
/// Folds text for ASR-robust matching: Traditional→Simplified (OpenCC), rubric equivalents (您/你), case,
/// full-width digits, and a key per character equal for homophones (Unihan <c>kMandarin</c>).
/// </summary>
public sealed class TextFolder
{
    private const int NonHanBase = 0x200000;
    // 0 = not yet asked, 1 = OpenCC leaves the character alone, 2 = OpenCC changes it. Races only repeat a lookup.
    private static readonly byte[] TradState = new byte[65536];
    private readonly int[] _key = new int[65536];
    private readonly char[] _fold = new char[65536];

    public TextFolder(PinyinTable pinyin, IEnumerable<string> equivalents, bool toneless)
    {
        for (var c = 0; c < 65536; c++) _fold[c] = (char)c;
        for (var c = 'A'; c <= 'Z'; c++) _fold[c] = char.ToLowerInvariant(c);
        for (var c = '０'; c <= '９'; c++) _fold[c] = (char)('0' + (c - '０'));
        foreach (var group in equivalents)
        {
            var chars = group.Where(ch => !char.IsWhiteSpace(ch)).ToArray();
            for (var i = 1; i < chars.Length; i++) _fold[chars[i]] = chars[0];
        }
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < 65536; c++)
        {
            var r = c is >= 0x3400 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF ? pinyin.Reading(c, toneless) : null;
            if (r is null) { _key[c] = NonHanBase + c; continue; }
            if (!ids.TryGetValue(r, out var id)) ids[r] = id = ids.Count + 1;
            _key[c] = id;
        }
        // Equivalents share the key of their first member, even when their readings differ (您 nín / 你 nǐ).
        for (var c = 0; c < 65536; c++) if (_fold[c] != c) _key[c] = _key[_fold[c]];
    }

    public char Fold(char c) => _fold[c];

    public int Key(char c) => _key[_fold[c]];

    /// <summary>Folds a rubric literal (already Simplified) the same way as transcript text.</summary>
    public string FoldLiteral(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) if (char.IsLetterOrDigit(c)) sb.Append(_fold[c]);
        return sb.ToString();
    }

    public FoldedText Fold(string text)
    {
        // Scratch from the pool (a Traditional character may become two), then exact-size results.
        var cap = text.Length * 2;
        var keys = System.Buffers.ArrayPool<int>.Shared.Rent(cap);
        var orig = System.Buffers.ArrayPool<int>.Shared.Rent(cap);
        var chars = System.Buffers.ArrayPool<char>.Shared.Rent(cap);
        try
        {
            var n = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c >= 0x3400 && Simplified(c) is { } s)
                {
                    // Traditional character: OpenCC's Simplified form (cached per character).
                    foreach (var sc in s) Put(sc, i);
                    continue;
                }
                Put(c, i);
            }
            return new FoldedText { Chars = new string(chars, 0, n), Keys = keys[..n], OriginalIndex = orig[..n] };

            void Put(char c, int at)
            {
                if (!char.IsLetterOrDigit(c) || n >= cap) return;
                var f = _fold[c];
                chars[n] = f;
                keys[n] = _key[f];
                orig[n] = at;
                n++;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(keys);
            System.Buffers.ArrayPool<int>.Shared.Return(orig);
            System.Buffers.ArrayPool<char>.Shared.Return(chars);
        }
    }

    // OpenCC's t2s on each character, asked once per character per process; null = unchanged.
    private static readonly string?[] TradMap = new string?[65536];

    private static string? Simplified(char c)
    {
        var state = TradState[c];
        if (state == 1) return null;
        if (state == 2) return TradMap[c];
        var one = c.ToString();
        var converted = ChineseConverter.TraditionalToSimplified.Convert(one);
        if (converted == one) { TradState[c] = 1; return null; }
        TradMap[c] = converted;
        TradState[c] = 2;
        return converted;
    }
}
