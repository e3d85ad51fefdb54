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
        var simplified = NeedsConversion(text) ? ChineseConverter.TraditionalToSimplified.Convert(text) : text;
        var chars = new StringBuilder(simplified.Length);
        var keys = new int[simplified.Length];
        var orig = new int[simplified.Length];
        var n = 0;
        var scale = text.Length == simplified.Length || simplified.Length == 0 ? 1.0 : (double)text.Length / simplified.Length;
        for (var i = 0; i < simplified.Length; i++)
        {
            var c = simplified[i];
            if (!char.IsLetterOrDigit(c)) continue;
            var f = _fold[c];
            chars.Append(f);
            keys[n] = _key[f];
            orig[n] = scale == 1.0 ? i : Math.Min(text.Length - 1, (int)(i * scale));
            n++;
        }
        return new FoldedText { Chars = chars.ToString(), Keys = keys[..n], OriginalIndex = orig[..n] };
    }

    private static bool NeedsConversion(string text)
    {
        foreach (var c in text)
        {
            if (c < 0x3400) continue;
            var s = TradState[c];
            if (s == 0)
            {
                var one = c.ToString();
                s = ChineseConverter.TraditionalToSimplified.Convert(one) == one ? (byte)1 : (byte)2;
                TradState[c] = s;
            }
            if (s == 2) return true;
        }
        return false;
    }
}
