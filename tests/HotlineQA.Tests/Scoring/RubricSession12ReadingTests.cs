using HotlineQA.Scoring;
using HotlineQA.TestSupport;

namespace HotlineQA.Tests.Scoring;

/// <summary>Readings of rubric 2026.31 (session 12) from calls of the labelled batch ga that the rules misread, kept
/// general: POOR_LINE is the agent saying it cannot hear the line, not the agent talking about someone's hearing.</summary>
public class RubricSession12ReadingTests
{
    private const string Open = RubricSession9ReadingTests.Open, Close = RubricSession9ReadingTests.Close;
    private static string Result(string item, params string[] lines) => RubricSession9ReadingTests.Result(item, lines);

    [Theory]
    // A hearing-aid centre's agent asks about the patient's hearing: no can't-hear signal, so no poor-line call.
    [InlineData("a: 好的,请问老人家以前配过助听器吗?是两只耳朵都听不清,还是一边比较严重?", "na")]
    [InlineData("a: 老人家下午听不见,您肯定也着急,我帮您安排检测。", "na")]
    [InlineData("a: 孩子听不清老师讲课吗?", "na")]
    // The agent's own can't-hear request still opens the protocol.
    [InlineData("a: 对不起,您那边杂音有点大,我听不太清,麻烦您说话大声一点好吗?", "pass")]
    [InlineData("a: 听不清!大声点!", "fail")]
    public void PoorLine_ShouldHearTheAgentsOwnLine_NotSomeonesHearing(string agentTurn, string expected) =>
        Assert.Equal(expected, Result("POOR_LINE", Open, "c: 我想给我妈约个助听器验配,她耳朵不太好。", agentTurn,
            "c: 两只都不太好,左边更严重。", "a: 好的,已经给您约在周六上午九点。", "c: 好的,谢谢。", Close));

    [Fact]
    public void PoorLine_ShouldNotTurnAHearingAidComplaintIntoAPoorLineCall()
    {
        // ga's battery complaint (labelled a complaint call, POOR_LINE na): read as a poor-line call under 2026.30, it lost
        // its whole complaint section and its flag (scored as the pipeline scores it, all models in).
        var call = DevSet.Batch("ga", "hearing-aid-battery-drain-perfunctory-then-sincere");
        var r = FreshBatchAgreementTests.Scorer.Score(call.Transcript);
        Assert.Equal("na", r.Findings.Single(f => f.Item == "POOR_LINE").Result);
        Assert.True(r.IsComplaint);
    }
}
