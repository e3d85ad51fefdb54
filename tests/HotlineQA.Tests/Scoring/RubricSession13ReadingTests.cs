using HotlineQA.Scoring;
using HotlineQA.TestSupport;

namespace HotlineQA.Tests.Scoring;

/// <summary>Readings of rubric 2026.34 (session 13) from a call of the labelled batch gs that the rules misread, kept
/// general: posting online is an escalation when the customer threatens to do it, not when the customer objects to
/// something the company has put online.</summary>
public class RubricSession13ReadingTests
{
    private const string Open = RubricSession9ReadingTests.Open, Close = RubricSession9ReadingTests.Close;
    private static string Result(string item, params string[] lines) => RubricSession9ReadingTests.Result(item, lines);

    [Theory]
    // Where a thing is (挂在网上 / 放在网上) is no threat …
    [InlineData("c: 孩子的名字和照片就这么挂在网上,你们考虑过安全没有?", "silent")]
    [InlineData("c: 我的身份证照片怎么会放在网上让人随便看?", "silent")]
    // … posting it is, and so is 把…挂在网上 (the customer hanging the company out online).
    [InlineData("c: 你们再不删,我就把你们挂在网上让大家评评理。", "fire")]
    [InlineData("c: 不给个说法我就把这事发到网上去。", "fire")]
    [InlineData("c: 再这样我就挂到网上去,让大家都看看。", "fire")]
    [InlineData("c: 我明天就发抖音。", "fire")]
    public void Escalation_ShouldHearPostingOnline_NotWhatIsOnline(string customerTurn, string expected) =>
        Assert.Equal(expected, Result("ESCALATION_RISK", Open, "c: 你们机构的公众号把我女儿的照片发上去了,谁同意的?", "a: 对不起,我马上核实。",
            customerTurn, "a: 我现在就联系同事撤下来,今天下午五点前给您回电。", Close));

    [Fact]
    public void Escalation_ShouldNotFlagTheParentWhoObjectsToAPostedPhoto()
    {
        // gs's art-school call (labelled: ESCALATION_RISK silent, not flagged), scored as the pipeline scores it.
        var call = DevSet.Load(Path.Combine(TestPaths.RepoRoot, "tests", "data", "transcripts-batch-gs"))
            .Single(c => c.Name == "art-child-photo-posted-asr-agent-contradicts");
        var r = FreshBatchAgreementTests.Scorer.Score(call.Transcript);
        Assert.DoesNotContain(r.Findings, f => f.Item == "ESCALATION_RISK");
        Assert.Equal(call.Expected.Flagged, r.Flagged);
    }
}
