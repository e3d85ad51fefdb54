using System.Text;
using HotlineQA.Common;

namespace HotlineQA.Classification;

/// <summary>
/// Puts clean text and ASR output into one form before featurization, so the model does not have to learn
/// the same phrase five times: Traditional → Simplified (OpenCC), 您/你, 再/在 and 帐/账 folded (ASR confuses them),
/// punctuation and spaces dropped (ASR often has none), full-width Latin/digits folded, digits masked (account and
/// phone numbers carry no signal and are personal data).
/// </summary>
public static class TextNormalizer
{
    // Per-character Traditional → Simplified answers from OpenCC, memoised: a native call per utterance would cost more
    // than the whole classification. Character-level is enough here; phrase-level t2s subtleties do not change labels.
    // 0 = not asked yet; writes are idempotent, so concurrent fills are harmless.
    private static readonly char[] Simplified = new char[65536];

    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var sb = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            var c = raw;
            if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
            if (char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c) || char.IsControl(c)) continue;
            if (c < 128)
            {
                c = char.IsDigit(c) ? '0' : char.ToLowerInvariant(c);
            }
            else if (char.IsDigit(c))
            {
                c = '0';
            }
            else
            {
                if (c >= '\u3400' && !char.IsSurrogate(c)) c = ToSimplified(c);
                c = c switch { '您' => '你', '妳' => '你', '再' => '在', '帐' => '账', _ => c };
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static char ToSimplified(char c)
    {
        var known = Simplified[c];
        if (known != '\0') return known;
        var converted = ChineseConverter.TraditionalToSimplified.Convert(c.ToString());
        var answer = converted.Length == 1 ? converted[0] : c;
        Simplified[c] = answer;
        return answer;
    }
}
