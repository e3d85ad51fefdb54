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
}
