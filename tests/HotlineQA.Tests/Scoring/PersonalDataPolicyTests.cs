using System.Text.Json;
using HotlineQA.Scoring.Privacy;

namespace HotlineQA.Tests.Scoring;

public class PersonalDataPolicyTests
{
    [Fact]
    public void MaskJson_ShouldMaskStringValuesOnly_WhenTheDocumentHoldsNumbersAndHashes()
    {
        // 64 hex characters with a run that the masker alone would take for a phone number.
        var sha = "ab13812345678cd" + string.Concat(Enumerable.Repeat("ef0123ab", 6)) + "e";
        Assert.Equal(64, sha.Length);
        Assert.NotEqual(sha, PersonalDataMasker.MaskText(sha));
        var json = $$"""{"id":13812345678,"contentSha256":"{{sha}}","utterances":[{"text":"电话13812345678，卡号6222 0212 3456 7890 123"}],"error":null}""";
        var masked = PersonalDataPolicy.MaskJson(json);
        using var doc = JsonDocument.Parse(masked);
        var root = doc.RootElement;
        Assert.Equal(13812345678, root.GetProperty("id").GetInt64());
        Assert.Equal(sha, root.GetProperty("contentSha256").GetString());
        Assert.Equal("电话***********，卡号**** **** **** **** ***", root.GetProperty("utterances")[0].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
    }

    [Fact]
    public void MaskBody_ShouldMaskHtmlCsvAndText_WhenTheMediaTypeIsText()
    {
        Assert.Equal("<td>***********</td>", PersonalDataPolicy.MaskBody("<td>幺三九一二三四五六七八</td>", "text/html; charset=utf-8"));
        Assert.Equal("a,***********\r\n", PersonalDataPolicy.MaskBody("a,13812345678\r\n", "text/csv"));
        Assert.True(PersonalDataPolicy.AppliesTo("application/problem+json"));
        Assert.False(PersonalDataPolicy.AppliesTo("audio/wav"));
        Assert.False(PersonalDataPolicy.AppliesTo("text/javascript"));
        Assert.False(PersonalDataPolicy.AppliesTo(null));
    }
}
