using HotlineQA.Transcription;

namespace HotlineQA.Tests.Transcription;

public sealed class HallucinationGuardTests
{
    [Theory]
    [InlineData("字幕由Amara.org社群提供")]
    [InlineData("请不吝点赞 订阅 转发 打赏支持明镜与点点栏目")]
    [InlineData("请不吝点赞订阅转发打赏")]
    [InlineData("谢谢观看!")]
    [InlineData("  Thank you for watching.  ")]
    public void Clean_ShouldDropTheUtterance_WhenItIsOnlyAPhantomPhrase(string text)
    {
        Assert.Null(HallucinationGuard.Default.Clean(text));
    }

    [Fact]
    public void Clean_ShouldCutThePhraseAndKeepTheRest_WhenRealSpeechSurroundsIt()
    {
        Assert.Equal("好的,再见。", HallucinationGuard.Default.Clean("好的,再见。字幕由Amara.org社群提供"));
    }

    [Theory]
    [InlineData("好的好的好的好的好的好的好的好的", "好的")]
    [InlineData("嗯嗯嗯嗯嗯嗯嗯嗯嗯嗯嗯嗯", "嗯")]
    [InlineData("我要投诉,我要投诉,我要投诉,我要投诉,我要投诉,", "我要投诉,")]
    [InlineData("好的好的,没问题", "好的好的,没问题")]
    public void Clean_ShouldCollapseRepetitionLoops_WhenAUnitRepeatsFourTimesOrMore(string text, string expected)
    {
        Assert.Equal(expected, HallucinationGuard.Default.Clean(text));
    }

    [Fact]
    public void Clean_ShouldKeepOrdinaryText_WhenNothingIsPhantom()
    {
        const string t = "您好,这里是客服热线,请问有什么可以帮您?";
        Assert.Equal(t, HallucinationGuard.Default.Clean(t));
    }

    [Fact]
    public void LoadDefaultPhrases_ShouldReadTheDataFile_WhenEmbedded()
    {
        var phrases = HallucinationGuard.LoadDefaultPhrases().ToList();
        Assert.Contains("字幕由Amara.org社群提供", phrases);
        Assert.DoesNotContain(phrases, p => p.StartsWith('#'));
    }
}
