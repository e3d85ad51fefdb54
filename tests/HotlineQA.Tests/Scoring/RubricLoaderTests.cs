using HotlineQA.Common;
using HotlineQA.Scoring;

namespace HotlineQA.Tests.Scoring;

public class RubricLoaderTests
{
    private static string Minimal(string items, string extra = "") => $$"""
        version: "test.1"
        {{extra}}
        complaint:
          strong: [投诉]
          weak: [怎么还]
        roles:
          agentOpening: [有什么可以帮您]
        items:
        {{items}}
        """;

    [Fact]
    public void NameOf_ShouldGiveChineseNames_WhenCodesComeFromTheDefaultRubric()
    {
        var r = RubricLoader.LoadDefault();
        Assert.All(r.Items, i => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", i.Name));
        Assert.Equal(new DisplayName("真诚致歉", "Sincere apology"), r.NameOf("APOLOGY"));
        Assert.Equal("不适用", r.NameOf("na").Zh);
        Assert.Equal("严重", r.NameOf("critical").Zh);
        Assert.Equal("得分低于75", r.NameOf("SCORE_BELOW_75").Zh);
        Assert.Equal("UNKNOWN_CODE", r.NameOf("UNKNOWN_CODE").Zh);
        Assert.Contains("道歉", r.Item("APOLOGY")!.Aliases);
    }

    [Fact]
    public void Parse_ShouldRefuseAliasesThatAreNotAList_WithItsLine()
    {
        var yaml = Minimal("  - { id: A1, section: A, severity: minor, rule: require, aliases: 道歉, match: { pass: [您好] } }");
        var e = Assert.Throws<BadInputException>(() => RubricLoader.Parse(yaml, "site.yaml"));
        Assert.Contains("site.yaml: line", e.Message);
        Assert.Contains("aliases", e.Message);
    }

    [Fact]
    public void Parse_ShouldRefuseALabelWithoutChineseName_WithItsLine()
    {
        var yaml = Minimal("  - { id: A1, section: A, severity: minor, rule: require, match: { pass: [您好] } }",
            "labels:\n  pass: { en: pass }");
        var e = Assert.Throws<BadInputException>(() => RubricLoader.Parse(yaml, "site.yaml"));
        Assert.Contains("site.yaml: line 3", e.Message);
        Assert.Contains("zh", e.Message);
    }

    [Fact]
    public void LoadDefault_ShouldExpressEveryRubricItem_WhenLoaded()
    {
        var r = RubricLoader.LoadDefault();
        Assert.Equal("2026.39", r.Version);
        string[] ids = ["GREETING", "CLOSING", "FORBIDDEN_PHRASE", "BLAME_SHIFTING", "HOLD_ETIQUETTE", "INTERRUPTION", "DEAD_AIR",
            "CLARIFY", "EMPATHY", "APOLOGY", "SOLUTION", "FOLLOW_UP", "THANKS", "EMOTION_FIRST", "NO_ARGUING", "NO_OVERPROMISE",
            "REFUSAL_ALTERNATIVE", "SILENT_CALL", "POOR_LINE", "HARASSMENT", "ESCALATION_RISK", "NEGATIVE_END", "PERFUNCTORY_APOLOGY"];
        Assert.Equal(ids, r.Items.Select(i => i.Id).ToArray());
        Assert.Equal("critical", r.Item("FORBIDDEN_PHRASE")!.Severity);
        Assert.True(r.PieceCount > 300);
    }

    [Theory]
    [InlineData("version: \"x\"\nitems: [unclosed\n", 3, "not valid YAML")]
    [InlineData("version: \"x\"\ncomplaint:\n  strong: [投诉]\n  weak: [a]\nroles:\n  agentOpening: [b]\nitems:\n  - id: GREETING\n    section: A\n    severity: major\n    rule: nosuchrule\n", 11, "unknown rule 'nosuchrule'")]
    [InlineData("version: \"x\"\ncomplaint:\n  strong: [投诉]\n  weak: [a]\nroles:\n  agentOpening: [b]\nitems:\n  - id: X1\n    section: A\n    severity: huge\n    rule: forbid\n", 10, "severity must be")]
    [InlineData("version: \"x\"\ncomplaint:\n  strong: [$nofamily]\n  weak: [a]\nroles:\n  agentOpening: [b]\nitems: []\n", 3, "unknown phrase family '$nofamily'")]
    [InlineData("version: \"x\"\ncomplaint:\n  strong: [投诉]\n  weak: [a]\nroles:\n  agentOpening: [b]\nitems:\n  - id: X1\n    section: A\n    severity: minor\n    rule: forbid\n    match:\n      fail: [\"re:(unclosed\"]\n", 13, "bad regular expression")]
    [InlineData("version: \"x\"\ncomplaint:\n  strong: [投诉]\n  weak: [a]\nroles:\n  agentOpening: [b]\nitems:\n  - id: X1\n    section: A\n    severity: minor\n    rule: forbid\n", 8, "needs match.fail")]
    public void Parse_ShouldRejectWithTheLine_WhenTheRubricIsBroken(string yaml, int line, string message)
    {
        var e = Assert.Throws<BadInputException>(() => RubricLoader.Parse(yaml, "bad.yaml"));
        Assert.Contains($"bad.yaml: line {line}:", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Parse_ShouldScoreANewItemWithoutCode_WhenQaStaffAddAnItemAndPhrases()
    {
        var yaml = Minimal("""
              - id: UPSELL_OFFER
                section: A
                severity: minor
                rule: require
                match:
                  pass:
                    speaker: agent
                    any: [$upsell, "(推荐|介绍)…{6}(套餐|活动)"]
            """, """
            phrases:
              upsell: [办理会员, 升级套餐]
            """);
        var scorer = new RubricScorer(RubricLoader.Parse(yaml, "custom.yaml"));
        var pass = scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 查话费。", "a: 给您推荐一个流量套餐。"));
        Assert.Equal("test.1", pass.RubricVersion);
        Assert.Equal("pass", pass.Findings.Single(f => f.Item == "UPSELL_OFFER").Result);
        var fail = scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 查话费。", "a: 话费余额五十元。"));
        Assert.Equal("fail", fail.Findings.Single(f => f.Item == "UPSELL_OFFER").Result);
    }

    [Fact]
    public void Parse_ShouldKeepBackreferencesAndGroups_WhenARegexPhraseUsesThem()
    {
        // Regex phrases compile without captures (faster); one that refers back to a group keeps them and still matches.
        var yaml = Minimal("""
              - id: ECHO
                section: A
                severity: minor
                rule: forbid
                match:
                  fail:
                    speaker: agent
                    any: ["re:(快)\\1点", "re:(?<w>慢)\\k<w>的", "re:(听|说)(不|没)(懂|清)吗"]
            """);
        var scorer = new RubricScorer(RubricLoader.Parse(yaml, "custom.yaml"));
        foreach (var said in new[] { "a: 快快点说。", "a: 别慢慢的。", "a: 您说没清吗?" })
            Assert.Equal("fail", scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 查话费。", said)).Findings.Single(f => f.Item == "ECHO").Result);
        Assert.Equal("pass", scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 查话费。", "a: 快点说。")).Findings.Single(f => f.Item == "ECHO").Result);
    }

    [Fact]
    public void Score_ShouldMatchARegexOnlyInItsSpeakersTurns_WhenTheSameRegexServesBothSides()
    {
        // A regex runs once over one side of the call (the condition's speaker's turns joined); the same regex in a
        // condition with another speaker still reads every turn, each hit with its own utterance.
        var yaml = Minimal("""
              - id: AGENT_TAG
                section: A
                severity: minor
                rule: forbid
                match:
                  fail:
                    speaker: agent
                    any: ["re:(搞|弄)错了"]
              - id: ANYONE_TAG
                section: A
                severity: minor
                rule: forbid
                match:
                  fail:
                    any: ["re:(搞|弄)错了"]
            """);
        var scorer = new RubricScorer(RubricLoader.Parse(yaml, "custom.yaml"));
        var customerOnly = scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 你们把地址搞错了。", "a: 我帮您改。"));
        Assert.Equal("pass", customerOnly.Findings.Single(f => f.Item == "AGENT_TAG").Result);
        var anyone = customerOnly.Findings.Single(f => f.Item == "ANYONE_TAG");
        Assert.Equal(("fail", 1), (anyone.Result, anyone.Evidence.Single().Utterance));
        var both = scorer.Score(CallBuilder.Call("a: 您好,请问有什么可以帮您?", "c: 你们把地址搞错了。", "a: 是您自己弄错了。"));
        Assert.Equal(2, both.Findings.Single(f => f.Item == "AGENT_TAG").Evidence.Single().Utterance);
        Assert.Equal([1, 2], both.Findings.Single(f => f.Item == "ANYONE_TAG").Evidence.Select(e => e.Utterance));
    }

    [Fact]
    public void Parse_ShouldHonourOrderWithinFirstSecondsAndProximity_WhenThoseOperatorsAreUsed()
    {
        var yaml = Minimal("""
              - id: NAME_EARLY
                section: A
                severity: minor
                rule: require
                match:
                  pass: { speaker: agent, firstSec: 10, any: [工号] }
              - id: VERIFY_BEFORE_CHANGE
                section: A
                severity: minor
                rule: order
                match:
                  first: { speaker: agent, any: ["(核实|验证)…{4}身份"] }
                  then: { speaker: agent, any: ["(修改|变更)…{6}(成功|好了)"] }
              - id: REPEATED_NO
                section: A
                severity: minor
                rule: forbid
                match:
                  fail: { speaker: agent, any: [不行], minCount: 2 }
            """);
        var s = new RubricScorer(RubricLoader.Parse(yaml, "ops.yaml"));
        var good = s.Score(CallBuilder.Build(2, ["a@0.5-4: 您好,工号1234,请问有什么可以帮您?", "c@5-7: 改地址。", "a@8-10: 先核实一下您的身份。", "a@11-13: 地址已经修改成功了。", "a@14-15: 这样不行。"]));
        Assert.Equal(["pass", "pass", "pass"], good.Findings.Select(f => f.Result).ToArray());
        var bad = s.Score(CallBuilder.Build(2, ["a@0.5-4: 您好,请问有什么可以帮您?", "a@20-22: 我的工号1234。", "a@23-25: 地址已经修改成功了。", "a@26-28: 核实一下您的身份。", "a@29-30: 不行。", "a@31-32: 还是不行。"]));
        Assert.Equal(["fail", "fail", "fail"], bad.Findings.Select(f => f.Result).ToArray());
    }

    [Fact]
    public void LoadFile_ShouldNameTheFile_WhenItIsMissing()
    {
        var e = Assert.Throws<BadInputException>(() => RubricLoader.LoadFile("/nonexistent/rubric.yaml"));
        Assert.Contains("/nonexistent/rubric.yaml", e.Message);
    }
}
