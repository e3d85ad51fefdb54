using HotlineQA.Transcription;

namespace HotlineQA.Tests.Transcription;

public sealed class WhisperTokenizerTests
{
    [Theory]
    [InlineData("whisper-tiny")]
    [InlineData("whisper-base")]
    public void Specials_ShouldMatchAddedTokensJson_WhenLoadedFromTheRealFiles(string model)
    {
        var tok = WhisperTokenizer.Load(TestPaths.Shared($"data/whisper/{model}"));

        Assert.Equal(50257, tok.EndOfText);
        Assert.Equal(50258, tok.StartOfTranscript);
        Assert.Equal(50260, tok.Languages["zh"]);
        Assert.Equal(50259, tok.Languages["en"]);
        Assert.Equal(50359, tok.Transcribe);
        Assert.Equal(50358, tok.Translate);
        Assert.Equal(50361, tok.StartOfPrev);
        Assert.Equal(50362, tok.NoSpeech);
        Assert.Equal(50363, tok.NoTimestamps);
        Assert.Equal(50364, tok.TimestampBegin); // <|0.00|>
        Assert.Equal(50364 + 150, tok.TimestampToken(3.0));
        Assert.Equal(1.5, tok.TimestampSeconds(50364 + 75), 6);
        Assert.Equal(99, tok.Languages.Count);
    }

    [Theory]
    [InlineData("您好,这里是客服热线,请问有什么可以帮您?")]
    [InlineData("我上周报修的排气管到现在还没修好。")]
    [InlineData(" Hello, this is the customer service hotline. How can I help?")]
    [InlineData("订单号 A1234-5678, 金额 ¥99.50 😀 混合 mixed text")]
    [InlineData("請問您的電話號碼")]
    public void EncodeDecode_ShouldRoundTripLosslessly_WhenGivenChineseAndEnglish(string text)
    {
        var tok = WhisperTokenizer.Load(TestPaths.Shared("data/whisper/whisper-base"));

        var ids = tok.Encode(text);

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.True(tok.IsText(id)));
        Assert.Equal(text, tok.Decode(ids));
    }

    [Fact]
    public void Encode_ShouldMatchKnownGpt2Ids_WhenGivenSimpleEnglish()
    {
        var tok = WhisperTokenizer.Load(TestPaths.Shared("data/whisper/whisper-base"));

        // Known from the GPT-2 vocabulary Whisper shares: "Hello" = 15947, " world" = 1002.
        Assert.Equal([15947, 1002], tok.Encode("Hello world"));
    }

    [Fact]
    public void Decode_ShouldLeaveOutSpecialAndTimestampTokens_WhenTheyAreMixedIn()
    {
        var tok = WhisperTokenizer.Load(TestPaths.Shared("data/whisper/whisper-base"));
        var text = tok.Encode("您好");

        var s = tok.Decode([tok.StartOfTranscript, tok.Languages["zh"], tok.TimestampBegin, .. text, tok.TimestampToken(1.2), tok.EndOfText]);

        Assert.Equal("您好", s);
    }
}
