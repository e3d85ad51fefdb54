using System.Diagnostics;
using HotlineQA.Common;
using HotlineQA.Host.Cli;
using HotlineQA.Scoring;

namespace HotlineQA.Tests.Scoring;

/// <summary>
/// A broken rubric file is refused at load with its file and line (never a YAML library stack trace), and the same
/// through <c>hotlineqa score --rubric</c> (exit 1). Console redirection is process-wide, so these run one at a time.
/// </summary>
[Collection("console")]
public class RubricRefusalTests
{
    private const string Head = "version: \"t.1\"\ncomplaint:\n  strong: [投诉]\n  weak: [怎么还]\nroles:\n  agentOpening: [有什么可以帮您]\n";

    private static string Item(string body) => Head + "items:\n  - id: X1\n    section: A\n    severity: minor\n" + body;

    /// <summary>(case, yaml, line, words the message must hold).</summary>
    public static TheoryData<string, string, int, string> Cases => new()
    {
        // malformed YAML of several kinds
        { "unclosed flow mapping (crashed the CLI with exit 134)", "version: \"1\"\nsettings: {gapChars: 10\nitems: []\n", 2, "not valid YAML" },
        { "unclosed list", "version: \"x\"\nitems: [unclosed\n", 3, "not valid YAML" },
        { "unterminated quote", "version: \"x\"\ncomplaint: \"open\n", 2, "not valid YAML" },
        { "tab indentation", "version: \"1\"\n\tsettings: 1\n", 1, "not valid YAML" },
        { "duplicate key", "version: \"1\"\nsettings:\n  gapChars: 10\n  gapChars: 12\n", 4, "Duplicate key" },
        { "not a mapping", "- a\n- b\n", 1, "must be a YAML mapping" },
        // wrong types
        { "setting as a list", "version: \"1\"\nsettings:\n  gapChars: [1, 2]\n", 3, "settings.gapChars must be a number, not a list" },
        { "setting not a number", "version: \"1\"\nsettings:\n  flagBelow: seventy\n", 3, "settings.flagBelow must be a number, found 'seventy'" },
        { "whole-number setting with a fraction", "version: \"1\"\nsettings:\n  complaintWeakTurns: 1.5\n", 3, "must be a whole number" },
        { "param of the wrong type", Item("    rule: closing\n    params: { lastTurns: two }\n    match: { farewell: [再见] }\n"), 12, "params.lastTurns must be a whole number, found 'two'" },
        { "param as a mapping", Item("    rule: dead_air\n    params:\n      maxRatio: { a: 1 }\n"), 13, "params.maxRatio must be a number, not a mapping" },
        { "bad severity in a param", Item("    rule: harassment\n    params: { swearSeverity: huge }\n    match: { abuse: [滚], warning: [挂断], swear: [滚] }\n"), 12, "params.swearSeverity must be one of critical, major, minor" },
        // impossible numbers
        { "probability above 1", "version: \"1\"\nsettings:\n  confidenceThreshold: 1.5\n", 3, "settings.confidenceThreshold = 1.5 is impossible" },
        { "call-complaint veto above 1 (2026.29)", "version: \"1\"\nsettings:\n  complaintPhraseVeto: 1.5\n", 3, "settings.complaintPhraseVeto = 1.5 is impossible" },
        { "negative call-complaint threshold (2026.29)", "version: \"1\"\nsettings:\n  complaintCallModel: -0.2\n", 3, "settings.complaintCallModel = -0.2 is impossible" },
        { "apology probability above 1 (the complaint gate, rubric 2026.5)", "version: \"1\"\nsettings:\n  complaintAgentApology: 1.2\n", 3, "settings.complaintAgentApology = 1.2 is impossible" },
        { "huge gap (overflowed to a negative int)", "version: \"1\"\nsettings:\n  gapChars: 1e99\n", 3, "settings.gapChars = 1e99 is impossible" },
        { "negative weight", "version: \"1\"\nweights: { major: -3 }\n", 2, "weights.major = -3 is impossible" },
        { "unknown complaint key (rubric 2026.9 added acknowledged)", "version: \"t.1\"\ncomplaint:\n  strong: [投诉]\n  weak: [怎么还]\n  acknowledge: [白跑]\n", 5, "unknown complaint key 'acknowledge' (expected strong, weak, acknowledged, admitted, heard)" },
        { "not a finite number", "version: \"1\"\nsettings:\n  flagBelow: .nan\n", 3, "must be a number" },
        { "negative window", Item("    rule: greeting\n    params: { windowSec: -5 }\n    match: { hello: [您好], offer: [帮您] }\n"), 12, "params.windowSec = -5 is impossible" },
        { "ratio above 1", Item("    rule: dead_air\n    params: { maxRatio: 2.5 }\n"), 12, "params.maxRatio = 2.5 is impossible" },
        { "zero last turns", Item("    rule: negative_end\n    params: { lastTurns: 0 }\n    match: { negative: [失望] }\n"), 12, "params.lastTurns = 0 is impossible" },
        { "model threshold out of range", Item("    rule: negative_end\n    params: { modelSentimentBelow: -3 }\n    match: { negative: [失望] }\n"), 12, "params.modelSentimentBelow = -3 is impossible" },
        { "ending threshold out of range", Item("    rule: negative_end\n    params: { modelEndingAbove: 1.5 }\n    match: { negative: [失望] }\n"), 12, "params.modelEndingAbove = 1.5 is impossible" },
        { "ending sure-threshold out of range", Item("    rule: negative_end\n    params: { modelEndingSureAbove: -0.1 }\n    match: { negative: [失望] }\n"), 12, "params.modelEndingSureAbove = -0.1 is impossible" },
        { "minCount zero", Item("    rule: forbid\n    match:\n      fail: { any: [滚], minCount: 0 }\n"), 13, "minCount = 0 is impossible" },
        { "gap in a phrase too long", Item("    rule: forbid\n    match:\n      fail: [\"你…{999999999999}滚\"]\n"), 13, "impossible" },
        // unknown parameters, slots and references
        { "unknown param", Item("    rule: closing\n    params: { lastTurn: 2 }\n    match: { farewell: [再见] }\n"), 12, "unknown parameter 'lastTurn' (known: lastTurns)" },
        { "param on a rule without params", Item("    rule: blame\n    params: { strict: true }\n    match: { fail: [都怪你] }\n"), 12, "unknown parameter 'strict' (this rule takes no params)" },
        { "unknown slot", Item("    rule: forbid\n    match:\n      fial: [滚]\n      fail: [滚蛋]\n"), 13, "rule 'forbid' has no slot 'fial'" },
        { "reference to no item", Item("    rule: perfunctory_apology\n    params: { apologyItem: APOLOGIE }\n"), 12, "params.apologyItem names 'APOLOGIE', which is not an item" },
        { "unknown setting", "version: \"1\"\nsettings:\n  gapchars: 10\n", 3, "unknown setting 'gapchars'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_ShouldRefuseWithFileAndLine_WhenTheRubricIsBroken(string what, string yaml, int line, string words)
    {
        var e = Assert.Throws<BadInputException>(() => RubricLoader.Parse(yaml, "site.yaml"));
        Assert.True(e.Message.StartsWith($"site.yaml: line {line}: ", StringComparison.Ordinal), $"{what}: {e.Message}");
        Assert.Contains(words, e.Message);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Score_ShouldExitOneNamingFileAndLine_WhenGivenABrokenRubric(string what, string yaml, int line, string words)
    {
        var dir = Directory.CreateTempSubdirectory("hqa-rubric-");
        try
        {
            var rubric = Path.Combine(dir.FullName, "site.yaml");
            await File.WriteAllTextAsync(rubric, yaml);
            var transcript = Path.Combine(DevSet.Folder, "telecom-billing-double-charge-model-handling.transcript.json");
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            var (o, e) = (new StringWriter(), new StringWriter());
            Console.SetOut(o);
            Console.SetError(e);
            int code;
            try { code = await CliApp.RunAsync(["score", "--rubric", rubric, transcript]); }
            finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
            Assert.Equal(1, code);
            Assert.Equal("", o.ToString());
            var err = e.ToString().Trim();
            Assert.DoesNotContain("\n", err);   // one line, no stack trace
            Assert.Contains($"{rubric}: line {line}: ", err);
            Assert.Contains(words, err);
            _ = what;
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Parse_ShouldBindEachRuleToItsType_WhenTheDefaultRubricLoads()
    {
        var r = RubricLoader.LoadDefault();
        Assert.IsType<GreetingRule>(r.Item("GREETING")!.Rule);
        Assert.Equal(15, ((GreetingRule)r.Item("GREETING")!.Rule).WindowSec);
        Assert.Equal(new HoldRule(10, 2, 1), r.Item("HOLD_ETIQUETTE")!.Rule);
        Assert.Equal(new EmotionFirstRule("EMPATHY", "APOLOGY", "SOLUTION"), r.Item("EMOTION_FIRST")!.Rule);
    }

    [Fact]
    public async Task Score_ShouldExitTwoWithOneLineNamingThePackage_WhenUnihanIsMissing()
    {
        // A separate process: the failure is in setup, before any command runs, and must not be a crash (exit 134).
        var noUnihan = new Dictionary<string, string> { ["HOTLINEQA_Scoring__UnihanPath"] = Path.Combine(Path.GetTempPath(), "no-such-unihan", "Unihan_Readings.txt") };
        var (code, stdout, stderr) = await HotlineqaCli.RunAsync(null, noUnihan, TimeSpan.FromMinutes(2), "score",
            Path.Combine(DevSet.Folder, "telecom-billing-double-charge-model-handling.transcript.json"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("unicode-data", stderr);
    }
}
