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

    // Per character, what the context-free steps make of it (full-width folded, lower case, digits masked): '\0' =
    // dropped (spaces, punctuation, symbols, controls — '\0' itself is a control). One table lookup instead of four
    // Unicode category checks per character.
    private static readonly char[] Folded = BuildFolded();

    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        char[]? rented = null;
        Span<char> buffer = text.Length <= 256 ? stackalloc char[text.Length] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            var n = 0;
            foreach (var raw in text)
            {
                var c = Folded[raw];
                if (c == '\0') continue;
                if (c >= '\u3400' && !char.IsSurrogate(c)) c = ToSimplified(c);
                buffer[n++] = c switch { '您' => '你', '妳' => '你', '再' => '在', '帐' => '账', _ => c };
            }
            return new string(buffer[..n]);
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// <see cref="Normalize"/> with every run of digits made one <c>0</c>: the form the customer models (customer-state and
    /// ending) read. A phone or order number is one fact, "the customer gave a number", however many digits it has; read
    /// digit by digit it filled a turn with <c>000</c> n-grams, which in the training data (Weibo complaints quoting order
    /// numbers) lean negative — "行,那帮我订上吧。我姓李,电话158 2230 9147" read as dissatisfied (0.79) and made a booking a
    /// complaint call (session 9).
    /// </summary>
    public static string NormalizeCustomer(string? text)
    {
        var n = Normalize(text);
        var i = n.IndexOf("00", StringComparison.Ordinal);
        if (i < 0) return n;
        var sb = new System.Text.StringBuilder(n.Length);
        sb.Append(n, 0, i + 1);
        for (var k = i + 1; k < n.Length; k++)
            if (n[k] != '0' || n[k - 1] != '0') sb.Append(n[k]);
        return sb.ToString();
    }

    private static char[] BuildFolded()
    {
        var table = new char[65536];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)i;
            if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
            if (char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c) || char.IsControl(c)) continue;
            if (c < 128) c = char.IsDigit(c) ? '0' : char.ToLowerInvariant(c);
            else if (char.IsDigit(c)) c = '0';
            table[i] = c;
        }
        return table;
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
