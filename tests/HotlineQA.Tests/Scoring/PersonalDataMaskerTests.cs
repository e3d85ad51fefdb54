using HotlineQA.Scoring.Privacy;
using HotlineQA.Transcription;

namespace HotlineQA.Tests.Scoring;

public class PersonalDataMaskerTests
{
    [Theory]
    [InlineData("我手机号13910245566,你查", "我手机号***********,你查", "phone")]
    [InlineData("电话是139 1024 5566", "电话是*** **** ****", "phone")]
    [InlineData("号码幺三九幺零二四五五六六", "号码***********", "phone")]
    [InlineData("一三八-两四六八-九九零零", "***-****-****", "phone")]
    [InlineData("身份证号是320102198805164418。", "身份证号是******************。", "id_card")]
    [InlineData("身份证11010519491231002X好了", "身份证******************好了", "id_card")]
    [InlineData("三二零一零二一九八八零五一六四四一X", "******************", "id_card")]
    [InlineData("卡号6222 0212 3456 7890 123", "卡号**** **** **** **** ***", "bank_card")]
    [InlineData("卡号六二二二零二一二三四五六七八九零一二", "卡号******************", "bank_card")]
    public void Mask_ShouldHideNumberAndReportKind_WhenTextHoldsPersonalNumber(string text, string masked, string kind)
    {
        var result = PersonalDataMasker.Mask(text, out var spans);
        Assert.Equal(masked, result);
        var span = Assert.Single(spans);
        Assert.Equal(kind, span.Kind);
        Assert.Equal(text.Length, result.Length);
    }

    [Theory]
    [InlineData("尾号4471,今天中午丢的")]
    [InlineData("订单号是2024110833567。")]
    [InlineData("一下一个一起,两三天,十一点")]
    [InlineData("后六位是20143X")]
    public void Mask_ShouldLeaveTextAlone_WhenNoFullPersonalNumber(string text)
    {
        Assert.Equal(text, PersonalDataMasker.Mask(text, out var spans));
        Assert.Empty(spans);
    }

    [Fact]
    public void Mask_ShouldReturnUtteranceTimesForBeeping_WhenMaskingATranscript()
    {
        var t = new Transcript
        {
            Utterances =
            [
                new Utterance { Speaker = "agent", Start = 0, End = 2, Text = "请说手机号" },
                new Utterance { Speaker = "customer", Start = 10, End = 20, Text = "号码是13910245566好" },
            ],
        };
        var masked = PersonalDataMasker.Mask(t, out var spans);
        var span = Assert.Single(spans);
        Assert.Equal((1, 3, 11), (span.Utterance, span.Start, span.Length));
        Assert.Equal(12.0, span.StartSec, 1);
        Assert.Equal(19.3, span.EndSec, 1);
        Assert.Equal("号码是***********好", masked.Utterances[1].Text);
        Assert.Equal("请说手机号", masked.Utterances[0].Text);
    }

    [Fact]
    public void Score_ShouldMaskEvidenceText_WhenEvidenceQuotesAPersonalNumber()
    {
        var r = RubricItemTests.Scorer.Score(CallBuilder.Call(
            "a: 您好,请问有什么可以帮您?", "c: 我手机号13910245566,你们骗子,扣了我两次钱!", "a: 好的,您别着急,我马上帮您查。", "a: 感谢您的来电,再见。"));
        var texts = r.Findings.SelectMany(f => f.Evidence).Select(e => e.Text).ToList();
        Assert.Contains(texts, x => x.Contains("***********"));
        Assert.DoesNotContain(texts, x => x.Contains("13910245566"));
    }
}
