using HotlineQA.Classification;

namespace HotlineQA.Tests.Classification;

public class TextNormalizerTests
{
    [Fact]
    public void Normalize_ShouldFoldAsrVariants_WhenTextIsRawAsrOutput()
    {
        // Clean text and its ASR rendering (no punctuation, 你 for 您, 在 for 再, 帐 for 账, a traditional 這) meet in one form.
        var clean = TextNormalizer.Normalize("这个账单我再帮您查一下,请您稍等。");
        var asr = TextNormalizer.Normalize("這个帐单我在帮你查一下 请你稍等");
        Assert.Equal(clean, asr);
        Assert.Equal("这个账单我在帮你查一下请你稍等", clean);
    }

    [Fact]
    public void Normalize_ShouldMaskDigitsAndDropPunctuation_WhenTextHasNumbers()
    {
        Assert.Equal("尾号0000的卡abc", TextNormalizer.Normalize("尾号 7736 的卡,ABC!"));
        Assert.Equal("", TextNormalizer.Normalize("  ,。!  "));
        Assert.Equal("", TextNormalizer.Normalize(null));
    }

    [Fact]
    public void Normalize_ShouldAgreeWithTheCharacterRules_ForEveryCharacterAndLongText()
    {
        // The normalizer folds through a lookup table (speed); the rules it must keep are spelled out here, one
        // character at a time, and checked on every UTF-16 code unit, alone and inside a text longer than its stack buffer.
        var all = new System.Text.StringBuilder();
        for (var i = 1; i < 65536; i++)
        {
            var c = (char)i;
            if (char.IsSurrogate(c)) continue;
            Assert.Equal(Reference("a" + c), TextNormalizer.Normalize("a" + c));
            all.Append(c);
        }
        var text = all.ToString();
        Assert.True(text.Length > 256);
        Assert.Equal(Reference(text), TextNormalizer.Normalize(text));
    }

    private static readonly Dictionary<char, char> Simplified = [];

    /// <summary>The normalizer's rules written out plainly, a character at a time (the code the table replaced).</summary>
    private static string Reference(string text)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var raw in text)
        {
            var c = raw;
            if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
            if (char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c) || char.IsControl(c)) continue;
            if (c < 128) c = char.IsDigit(c) ? '0' : char.ToLowerInvariant(c);
            else if (char.IsDigit(c)) c = '0';
            else
            {
                if (c >= '\u3400' && !char.IsSurrogate(c))
                {
                    if (!Simplified.TryGetValue(c, out var simple))
                    {
                        var converted = HotlineQA.Common.ChineseConverter.TraditionalToSimplified.Convert(c.ToString());
                        Simplified[c] = simple = converted.Length == 1 ? converted[0] : c;
                    }
                    c = simple;
                }
                c = c switch { '您' => '你', '妳' => '你', '再' => '在', '帐' => '账', _ => c };
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
